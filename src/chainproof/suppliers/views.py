from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.audit.selectors import audit_history_of
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate, paginate_by_ids
from chainproof.domain.nodes import NodeKey, NodeKind, ids_of
from chainproof.domain.supply_columns import COLUMN_SETS, parse_bom
from chainproof.domain.tabular import FieldError
from chainproof.domain.text import sentence
from chainproof.fileformats.svg_png import png_from_svg
from chainproof.reference.selectors import country_names
from chainproof.suppliers import exporting, services
from chainproof.suppliers.chain_map import map_file_svg, product_risk_map
from chainproof.suppliers.forms import (
    FacilityForm,
    LinkForm,
    MaterialForm,
    ProductForm,
    SupplierForm,
)
from chainproof.suppliers.lookups import risk_scores
from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink
from chainproof.suppliers.selectors import (
    SORT_LABELS,
    SUPPLIER_SORTS,
    countries_in_use,
    facility_list,
    links_of_facility,
    links_of_supplier,
    supplier_list,
)


def _url_maker(name: str, *args: Any) -> Any:
    """The address of a page per id, reversed once for a whole list (a ``{% url %}`` per
    row is a large part of rendering a long list): the id is put where a marker was."""
    marker = 2_147_480_001
    pattern = reverse(name, args=[*args, marker])
    return lambda pk: pattern.replace(str(marker), str(pk))


def _reader(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    return membership


def _writer(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    require_role(membership, Role.ANALYST)
    return membership


def _export_or(
    request: HttpRequest, entity: str, queryset: Any, org_id: int
) -> HttpResponseBase | None:
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header, rows = exporting.export_table(entity, org_id, queryset)
        return export_response(fmt, entity, header, rows)
    return None


# --- lists -------------------------------------------------------------------------------


def supplier_index(request: HttpRequest) -> HttpResponseBase:
    membership = _reader(request)
    org_id = membership.organization_id
    params = {k: request.GET.get(k, "").strip() for k in ("q", "country", "tier", "status", "risk")}
    sort = request.GET.get("sort", "name")
    suppliers = supplier_list(org_id, sort=sort, **params)
    exported = _export_or(request, "suppliers", suppliers, org_id)
    if exported:
        return exported
    countries = countries_in_use(Supplier, org_id)
    # A search's page: its ids first, read in the list's order from an index that holds
    # the names and references searched (supplier_org_name_search) without the rows.
    page = (paginate_by_ids if params["q"] else paginate)(request, suppliers)
    risks = risk_scores(org_id, [NodeKey.supplier(s.pk) for s in page["rows"]])
    detail, why = _url_maker("suppliers:supplier"), _url_maker("risk:node", "supplier")
    return render(
        request,
        "suppliers/supplier_list.html",
        {
            **page,
            "rows": [
                (s, risks.get(NodeKey.supplier(s.pk)), detail(s.pk), why(s.pk))
                for s in page["rows"]
            ],
            "params": params,
            "sort": sort,
            "sorts": {key: SORT_LABELS[key] for key in SUPPLIER_SORTS},
            "countries": countries,
            "names": country_names(org_id),
        },
    )


def facility_index(request: HttpRequest) -> HttpResponseBase:
    membership = _reader(request)
    org_id = membership.organization_id
    params = {
        k: request.GET.get(k, "").strip() for k in ("q", "country", "tier", "xinjiang", "dprk")
    }
    facilities = facility_list(org_id, **params)
    exported = _export_or(request, "facilities", facilities, org_id)
    if exported:
        return exported
    return render(
        request,
        "suppliers/facility_list.html",
        {
            **paginate(request, facilities),
            "params": params,
            "countries": countries_in_use(Facility, org_id),
            "names": country_names(org_id),
        },
    )


def product_index(request: HttpRequest) -> HttpResponseBase:
    membership = _reader(request)
    org_id = membership.organization_id
    q = request.GET.get("q", "").strip()
    products = Product.objects.filter(organization_id=org_id)
    if q:
        products = products.filter(name__icontains=q) | products.filter(sku__icontains=q)
    exported = _export_or(request, "products", products, org_id)
    if exported:
        return exported
    return render(request, "suppliers/product_list.html", {**paginate(request, products), "q": q})


def material_index(request: HttpRequest) -> HttpResponseBase:
    membership = _reader(request)
    org_id = membership.organization_id
    materials = Material.objects.filter(organization_id=org_id)
    exported = _export_or(request, "materials", materials, org_id)
    if exported:
        return exported
    return render(request, "suppliers/material_list.html", paginate(request, materials))


def link_index(request: HttpRequest) -> HttpResponseBase:
    membership = _reader(request)
    org_id = membership.organization_id
    links = SupplyLink.objects.filter(organization_id=org_id).select_related(
        "source_facility",
        "source_supplier",
        "target_facility",
        "target_supplier",
        "product",
        "material",
    )
    if request.GET.get("unknown") == "yes":
        links = links.filter(source_unknown=True)
    exported = _export_or(request, "links", links, org_id)
    if exported:
        return exported
    return render(request, "suppliers/link_list.html", paginate_by_ids(request, links))


# --- details -----------------------------------------------------------------------------


def supplier_detail(request: HttpRequest, supplier_id: int) -> HttpResponse:
    membership = _reader(request)
    supplier = get_for_member(
        membership, Supplier.objects.select_related("parent", "owner"), pk=supplier_id
    )
    upstream, downstream = links_of_supplier(supplier)
    facilities = list(supplier.facilities.all())
    own = {f.pk for f in facilities}
    # What moves between the company and its own worksites is not "upstream": only what
    # comes from other companies' sites is.
    received = list(upstream[:200])
    return render(
        request,
        "suppliers/supplier_detail.html",
        {
            "supplier": supplier,
            "identifiers": supplier.identifiers.all(),
            "facilities": facilities,
            "subsidiaries": supplier.subsidiaries.all(),
            "internal": [link for link in received if link.source_facility_id in own],
            "upstream": [link for link in received if link.source_facility_id not in own],
            "downstream": downstream[:200],
            "products": Product.objects.filter(links__in=downstream).distinct(),
            "history": audit_history_of(
                membership.organization_id, "suppliers.supplier", str(supplier.pk)
            )[:50],
            "names": country_names(membership.organization_id),
        },
    )


def facility_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    membership = _reader(request)
    facility = get_for_member(
        membership, Facility.objects.select_related("supplier"), pk=facility_id
    )
    upstream, downstream = links_of_facility(facility)
    return render(
        request,
        "suppliers/facility_detail.html",
        {
            "facility": facility,
            "upstream": upstream[:200],
            "downstream": downstream[:200],
            "history": audit_history_of(
                membership.organization_id, "suppliers.facility", str(facility.pk)
            )[:50],
            "names": country_names(membership.organization_id),
        },
    )


def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    membership = _reader(request)
    product = get_for_member(membership, Product, pk=product_id)
    risk_map = product_risk_map(product, path_from=request.GET.get("path", ""))
    return render(
        request,
        "suppliers/product_detail.html",
        {
            "product": product,
            "inputs": product.inputs.select_related("material", "component"),
            "map": risk_map.map,
            "risk_map": risk_map,
            "history": audit_history_of(
                membership.organization_id, "suppliers.product", str(product.pk)
            )[:50],
        },
    )


def product_map_file(request: HttpRequest, product_id: int, fmt: str) -> HttpResponse:
    """The product's map as a file: SVG (the drawing with its title and legend) or PNG
    (the same drawing as a picture); the risk path of ``?path=`` highlighted."""
    membership = _reader(request)
    product = get_for_member(membership, Product, pk=product_id)
    if fmt not in ("svg", "png"):
        raise Http404("The map is downloaded as SVG or PNG.")
    risk_map = product_risk_map(product, path_from=request.GET.get("path", ""))
    today = timezone.localdate()
    when = f"Drawn {today.day} {today:%B %Y} by chainproof."
    svg, width, height = map_file_svg(risk_map, when=when)
    name = get_valid_filename(f"{product.sku or product.pk}-supply-chain.{fmt}")
    if fmt == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        response = HttpResponse(png_from_svg(svg, width, height), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- create and edit ---------------------------------------------------------------------


def _form_page(request: HttpRequest, form: Any, title: str, cancel: str) -> HttpResponse:
    return render(request, "suppliers/form.html", {"form": form, "title": title, "cancel": cancel})


def _save(request: HttpRequest, form: Any, write: Any) -> Any:
    """Run a service in a transaction; map its ValidationError onto the form."""
    try:
        with transaction.atomic():
            return write()
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


def supplier_edit(request: HttpRequest, supplier_id: int | None = None) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    supplier = get_for_member(membership, Supplier, pk=supplier_id) if supplier_id else None
    initial = SupplierForm.initial_for(supplier) if supplier else {"status": "active"}
    form = SupplierForm(request.POST or None, initial=initial, organization_id=org_id)
    if request.method == "POST" and form.is_valid():
        data, identifiers = form.data_for_service()
        saved = _save(
            request,
            form,
            lambda: services.supplier_save(
                organization=org_id,
                actor=request.user,
                data=data,
                supplier=supplier,
                identifiers=identifiers,
            ),
        )
        if saved:
            messages.success(request, sentence(f"Saved {saved.legal_name}"))
            return redirect("suppliers:supplier", saved.pk)
    return _form_page(
        request,
        form,
        f"Edit {supplier}" if supplier else "New supplier",
        reverse("suppliers:supplier", args=[supplier.pk])
        if supplier
        else reverse("suppliers:index"),
    )


def facility_edit(request: HttpRequest, facility_id: int | None = None) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    facility = get_for_member(membership, Facility, pk=facility_id) if facility_id else None
    initial: dict[str, Any] = {"kind": "factory", "dprk_workers": "not_asked"}
    if facility:
        initial = {name: getattr(facility, name) for name in services.FACILITY_FIELDS}
        initial["supplier"] = facility.supplier_id
    elif request.GET.get("supplier", "").isdigit():
        initial["supplier"] = int(request.GET["supplier"])
    form = FacilityForm(request.POST or None, initial=initial, organization_id=org_id)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.facility_save(
                organization=org_id,
                actor=request.user,
                data=form.data_for_service(),
                facility=facility,
            ),
        )
        if saved:
            messages.success(request, sentence(f"Saved {saved.name}"))
            return redirect("suppliers:facility", saved.pk)
    return _form_page(
        request,
        form,
        f"Edit {facility}" if facility else "New facility",
        reverse("suppliers:facilities"),
    )


def material_edit(request: HttpRequest, material_id: int | None = None) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    material = get_for_member(membership, Material, pk=material_id) if material_id else None
    initial = {}
    if material:
        initial = {name: getattr(material, name) for name in services.MATERIAL_FIELDS}
        initial["dol_goods"] = " | ".join(material.dol_goods)
    form = MaterialForm(request.POST or None, initial=initial, organization_id=org_id)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.material_save(
                organization=org_id,
                actor=request.user,
                data=form.data_for_service(),
                material=material,
            ),
        )
        if saved:
            messages.success(request, sentence(f"Saved {saved.name}"))
            return redirect("suppliers:materials")
    return _form_page(
        request,
        form,
        f"Edit {material}" if material else "New material",
        reverse("suppliers:materials"),
    )


def product_edit(request: HttpRequest, product_id: int | None = None) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    product = get_for_member(membership, Product, pk=product_id) if product_id else None
    initial = {}
    if product:
        initial = {name: getattr(product, name) for name in services.PRODUCT_FIELDS}
        initial["inputs"] = " | ".join(
            (f"sku:{i.component.sku}" if i.component else i.material.name)  # type: ignore[union-attr]
            + (f"={i.share.normalize()}" if i.share is not None else "")
            for i in product.inputs.select_related("material", "component")
        )
    form = ProductForm(request.POST or None, initial=initial, organization_id=org_id)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        bom_text = data.pop("inputs")

        def write() -> Product:
            saved = services.product_save(
                organization=org_id, actor=request.user, data=data, product=product
            )
            services.product_set_inputs(
                product=saved, actor=request.user, inputs=_bom_lines(org_id, bom_text)
            )
            return saved

        saved = _save(request, form, write)
        if saved:
            messages.success(request, sentence(f"Saved {saved.sku}"))
            return redirect("suppliers:product", saved.pk)
    return _form_page(
        request,
        form,
        f"Edit {product}" if product else "New product",
        reverse("suppliers:products"),
    )


def _bom_lines(org_id: int, text: str) -> list[dict[str, Any]]:
    try:
        items = parse_bom(text) if text.strip() else []
    except FieldError as exc:
        raise ValidationError({"inputs": f"Expected {exc.expected}."}) from None
    lines = []
    from chainproof.domain.names import normalize_name

    for item in items:
        name = item["name"]
        if name.lower().startswith("sku:"):
            component = Product.objects.filter(
                organization_id=org_id, sku__iexact=name[4:].strip()
            ).first()
            if component is None:
                raise ValidationError({"inputs": f"No product with SKU {name[4:].strip()!r}."})
            lines.append({"component": component, "share": item["share"]})
        else:
            material = Material.objects.filter(
                organization_id=org_id, normalized_name=normalize_name(name)
            ).first()
            if material is None:
                raise ValidationError({"inputs": f"No material named {name!r}; add it first."})
            lines.append({"material": material, "share": item["share"]})
    return lines


def link_new(request: HttpRequest) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    form = LinkForm(
        request.POST or None,
        organization_id=org_id,
        initial={k: v for k, v in request.GET.items() if k in LinkForm.initial_keys()},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.link_save(
                organization=org_id, actor=request.user, data=form.data_for_service()
            ),
        )
        if saved:
            messages.success(request, f"Added the link {saved}. Tiers are being recomputed.")
            return redirect("suppliers:links")
    return _form_page(request, form, "New supply link", reverse("suppliers:links"))


def link_delete(request: HttpRequest, link_id: int) -> HttpResponse:
    membership = _writer(request)
    link = get_for_member(membership, SupplyLink, pk=link_id)
    if request.method != "POST":
        return render(request, "suppliers/confirm_delete.html", {"object": link})
    with transaction.atomic():
        services.link_delete(link=link, actor=request.user)
    messages.success(request, "The link was deleted. Tiers are being recomputed.")
    return redirect("suppliers:links")


# --- import, templates, exports ----------------------------------------------------------


def template_download(request: HttpRequest, entity: str, fmt: str) -> HttpResponseBase:
    _reader(request)
    if entity not in COLUMN_SETS or fmt not in ("csv", "xlsx"):
        raise Http404("No such template.")
    if fmt == "xlsx":
        response = HttpResponse(
            exporting.template_workbook(entity),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{entity}-template.xlsx"'
        return response
    return export_response("csv", f"{entity}-template", exporting.headers(entity), [])


def production_units(request: HttpRequest) -> HttpResponseBase:
    """The DHS FAQ list of authorized production units, for one product or all."""
    membership = _reader(request)
    org_id = membership.organization_id
    facilities = Facility.objects.filter(organization_id=org_id)
    name = "production-units"
    product_id = request.GET.get("product", "")
    if product_id:
        product = get_for_member(membership, Product, pk=product_id if product_id.isdigit() else -1)
        from chainproof.suppliers.selectors import product_chain

        chain = product_chain(product)
        ids = ids_of(chain.depth, NodeKind.FACILITY)
        facilities = facilities.filter(pk__in=ids)
        name = f"production-units-{product.sku}"
    fmt = request.GET.get("format", "xlsx")
    return export_response(
        "csv" if fmt == "csv" else "xlsx",
        name,
        exporting.PRODUCTION_UNIT_HEADERS,
        exporting.production_unit_rows(facilities),
    )
