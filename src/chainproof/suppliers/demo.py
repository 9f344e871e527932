"""The demo organization's invented supply chain (files in demo_data/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chainproof.suppliers.importing import ImportReport, run_import

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
ORDER = ("suppliers", "facilities", "materials", "products", "links")


def demo_supply_chain_load(*, organization: Any, actor: Any = None) -> list[ImportReport]:
    """Import the demo files in dependency order; running it again changes nothing."""
    return [
        run_import(
            organization=organization,
            actor=actor,
            entity=entity,
            data=(DEMO_DIR / f"{entity}.csv").read_bytes(),
            file_name=f"demo {entity}.csv",
        )
        for entity in ORDER
    ]
