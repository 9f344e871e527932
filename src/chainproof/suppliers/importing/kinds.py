"""The planner of each kind of list."""

from __future__ import annotations

from chainproof.suppliers.importing.base import Planner
from chainproof.suppliers.importing.facilities import FacilityPlanner
from chainproof.suppliers.importing.links import LinkPlanner
from chainproof.suppliers.importing.materials import MaterialPlanner
from chainproof.suppliers.importing.products import ProductPlanner
from chainproof.suppliers.importing.suppliers import SupplierPlanner

PLANNERS: dict[str, type[Planner]] = {
    "suppliers": SupplierPlanner,
    "facilities": FacilityPlanner,
    "materials": MaterialPlanner,
    "products": ProductPlanner,
    "links": LinkPlanner,
}
