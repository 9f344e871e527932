"""The REST API root: /api/v1/, OpenAPI docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger

from chainproof.accounts.api import router as accounts_router
from chainproof.api import errors
from chainproof.api.auth import BearerTokenAuth, MemberSessionAuth
from chainproof.api.openapi import document_errors, member_or_sign_in
from chainproof.auditlog.api import router as audit_router
from chainproof.cases.api import router as cases_router
from chainproof.diligence.api import router as diligence_router
from chainproof.diligence.program_api import router as program_router
from chainproof.evidence.api import router as evidence_router
from chainproof.jobs.api import router as jobs_router
from chainproof.questionnaires.api import router as questionnaires_router
from chainproof.reference.api import router as reference_router
from chainproof.risk.api import router as risk_router
from chainproof.screening.api import router as screening_router
from chainproof.suppliers.api import router as suppliers_router


class ChainproofDocs(Swagger):
    """Swagger UI in a page of ours: a language and a main landmark (api/docs.html)."""

    template = "api/docs.html"


class ChainproofAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))


api = ChainproofAPI(
    title="chainproof API",
    version="1",
    description=(
        "Forced-labor supply-chain compliance. Authenticate with `Authorization: Bearer "
        "<token>` (create tokens under API tokens in the web app) or the browser session "
        "(unsafe methods then need the CSRF token). Every object is scoped to the "
        "organization of the token or session."
    ),
    urls_namespace="api",
    docs=ChainproofDocs(),
    docs_url="/docs",
    docs_decorator=member_or_sign_in,
    auth=[BearerTokenAuth(), MemberSessionAuth()],
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/reference", reference_router)
api.add_router("/", suppliers_router)
api.add_router("/risk", risk_router)
api.add_router("/screening", screening_router)
api.add_router("/questionnaires", questionnaires_router)
api.add_router("/evidence", evidence_router)
api.add_router("/diligence", diligence_router)
api.add_router("/diligence", program_router)
api.add_router("/", cases_router)
api.add_router("/", jobs_router)
