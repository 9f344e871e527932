"""The methodology edited in a form: a preview of the records that would change level and
the YAML that would be stored; saving through the one write path (a new version, audited,
every score recomputed by a job); the errors a person can make."""

import re

import pytest

from chainproof.audit.models import AuditEvent
from chainproof.domain.risk.methodology import parse_methodology
from chainproof.jobs.models import Job
from chainproof.risk.forms import MethodologyForm
from chainproof.risk.models import MethodologyVersion
from chainproof.risk.services import methodology_for, methodology_in_use, risk_score_all
from tests.csrf_client import csrf_refused
from tests.supply import load_demo

pytestmark = pytest.mark.django_db
URL = "/risk/methodology/"


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def form_data(org, action="preview", **changes):
    """Every field as the page shows it (the numbers of the methodology in use)."""
    base = methodology_for(methodology_in_use(org.pk))
    form = MethodologyForm(base=base, version="4.1")
    data = {name: field.initial for name, field in form.fields.items()}
    return {**data, "action": action, **changes}


def previewed_then_saved(csrf_client, data):
    """Preview the numbers, then press "Save" on the page that shows the preview."""
    page = csrf_client.submit(URL, {**data, "action": "preview"}).content.decode()
    token = re.search(r'name="previewed" value="([0-9a-f]{64})"', page)
    assert token, "the preview offers to save"
    return csrf_client.submit(URL, {**data, "action": "save", "previewed": token[1]})


def _stored(org):
    return MethodologyVersion.objects.filter(organization=org)


def test_the_form_shows_every_number_in_words_and_the_stored_yaml(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get(URL).content.decode()
    assert 'id="methodology-form"' in page
    assert "Worksite in Xinjiang" in page
    assert "Tier 2 Watch List: points" in page
    assert 'name="factor__xinjiang__points"' in page
    assert 'value="80"' in page
    assert 'name="version"' in page
    assert 'value="4.1"' in page
    stored = page[page.index('id="stored-yaml"') :]
    assert "As stored: chainproof-default v4" in stored
    assert "decay_per_tier: 0.85" in stored


def test_preview_counts_the_records_that_would_change_level_and_saves_nothing(csrf_client, demo):
    org = demo.organization
    csrf_client.sign_in(demo)
    events = AuditEvent.objects.count()
    jobs = Job.objects.count()
    page = csrf_client.submit(URL, form_data(org, level_critical=95)).content.decode()
    preview = page[page.index('id="preview"') :]
    # with critical from 95 instead of 75, every critical record under 95 becomes high
    from chainproof.risk.models import RiskAssessment

    current = RiskAssessment.objects.filter(organization=org, is_current=True)
    expected = current.filter(level="critical", score__lt=95).count()
    assert expected > 0
    assert f"Preview: {expected} of {current.count()} records would change level" in preview
    assert f"{expected} from critical to high" in preview
    yaml_text = preview[preview.index('id="candidate-yaml"') :]
    assert "critical: 95" in yaml_text
    assert "based on chainproof-default v4" in yaml_text
    assert "Save as version 4.1" in page
    assert not _stored(org).exists()
    assert AuditEvent.objects.count() == events
    assert Job.objects.count() == jobs


def test_saving_stores_a_new_version_audited_and_recomputes_every_score(csrf_client, demo):
    org = demo.organization
    csrf_client.sign_in(demo)
    response = previewed_then_saved(
        csrf_client, form_data(org, factor__xinjiang__points=60, decay_per_tier=0.8)
    )
    assert response.status_code == 302
    (saved,) = _stored(org)
    assert (saved.version, saved.in_use) == ("4.1", True)
    parsed = parse_methodology(saved.content)
    assert parsed.points("xinjiang") == 60
    assert parsed.decay_per_tier == 0.8
    assert parsed.factors["dprk_workers_not_asked"] == {"points": 0, "in_host_country": 0}
    assert saved.based_on.version == "4"
    event = AuditEvent.objects.get(action="risk.methodology_saved", object_id=str(saved.pk))
    assert event.actor == demo.user
    # the recomputation trigger queued one full re-score, after commit
    assert Job.objects.filter(kind="risk.score_all", organization=org, status="queued").exists()
    page = csrf_client.get(URL).content.decode()
    stored = page[page.index('id="stored-yaml"') :]
    assert "As stored: chainproof-default v4.1" in stored
    assert "points: 60" in stored
    assert 'value="4.2"' in page  # the next version offered


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"factor__xinjiang__points": "eighty"}, "Enter a number."),
        ({"factor__wro_entity__points": "-5"}, "greater than or equal to 0"),
        ({"signal__no_audit": "150"}, "less than or equal to 100"),
        ({"decay_per_tier": "1.5"}, "less than or equal to 1"),
        ({"level_high": "80", "level_critical": "75"}, "The levels must go up"),
        ({"level_medium": "0"}, "medium must start above 0"),
        ({"version": ""}, "This field is required."),
    ],
)
def test_errors_are_named_and_nothing_is_saved(csrf_client, demo, changes, message):
    org = demo.organization
    csrf_client.sign_in(demo)
    for action in ("preview", "save"):
        response = csrf_client.submit(URL, form_data(org, action, **changes))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Not saved" in page
        assert message in page
        assert 'id="preview"' not in page
    assert not _stored(org).exists()
    assert not AuditEvent.objects.filter(action="risk.methodology_saved").exists()


def test_a_version_that_exists_is_refused(csrf_client, demo):
    org = demo.organization
    csrf_client.sign_in(demo)
    assert previewed_then_saved(csrf_client, form_data(org)).status_code == 302
    again = previewed_then_saved(csrf_client, form_data(org, level_critical=80))
    assert "chainproof-default version 4.1 exists already" in again.content.decode()
    assert _stored(org).count() == 1


def test_only_an_admin_may_preview_or_save_and_csrf_is_enforced(csrf_client, demo, victor):
    org = demo.organization
    csrf_client.sign_in(victor)
    assert csrf_client.submit(URL, form_data(org, "preview")).status_code == 403
    assert csrf_client.submit(URL, form_data(org, "save")).status_code == 403
    csrf_client.sign_in(demo)
    assert csrf_refused(csrf_client.post(URL, form_data(org, "save")))
    assert not _stored(org).exists()


def test_only_the_numbers_previewed_are_saved(csrf_client, demo):
    org = demo.organization
    csrf_client.sign_in(demo)
    # no preview yet: the page shows one instead of saving
    direct = csrf_client.submit(URL, form_data(org, "save", level_critical=90))
    page = direct.content.decode()
    assert direct.status_code == 200
    assert "the numbers changed since the preview (or none was made)" in page
    assert 'id="preview"' in page
    # previewed with one number, then another typed in before saving: previewed again
    page = csrf_client.submit(URL, form_data(org, level_critical=90)).content.decode()
    token = re.search(r'name="previewed" value="([0-9a-f]{64})"', page)[1]
    changed = csrf_client.submit(
        URL, {**form_data(org, "save", level_critical=95), "previewed": token}
    )
    assert "the numbers changed since the preview" in changed.content.decode()
    assert not _stored(org).exists()
    saved = csrf_client.submit(
        URL, {**form_data(org, "save", level_critical=90), "previewed": token}
    )
    assert saved.status_code == 302
    assert parse_methodology(_stored(org).get().content).levels[-1] == ("critical", 90.0)
