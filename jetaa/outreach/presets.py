"""Where a new request starts: one preset per kind of recruitment help.

Each preset gives a title, a description and the usual roles; the stage of
the recruitment cycle it belongs to comes from the shipped cycle data.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from jetaa.members.models import JapaneseLevel, JetRole
from jetaa.outreach.models import RequestKind
from jetaa.outreach.services import RoleData
from jetaa.reference.cycle import Stage, all_stages


@dataclass(frozen=True)
class Preset:
    kind: RequestKind
    title: object
    description: object
    roles: tuple[RoleData, ...]
    hours: int = 3
    respond_days: int = 14


PRESETS = {
    RequestKind.INFORMATION_SESSION: Preset(
        RequestKind.INFORMATION_SESSION, _l("JET Programme information session"),
        _l("Talk about life on JET and answer students' questions after the mission's "
           "presentation."), (RoleData(_l("Speaker"), 2), RoleData(_l("Helper"), 1))),
    RequestKind.CAREER_FAIR: Preset(
        RequestKind.CAREER_FAIR, _l("Career fair booth"),
        _l("Staff the JET Programme booth with the mission: hand out leaflets and share your "
           "experience."), (RoleData(_l("Booth volunteer"), 3),), hours=5),
    RequestKind.APPLICATION_SCREENING: Preset(
        RequestKind.APPLICATION_SCREENING, _l("Application screening"),
        _l("Read and score written applications with the mission's guidelines. Confidential."),
        (RoleData(_l("Screener"), 4, returned_min_years=1),), hours=10, respond_days=21),
    RequestKind.INTERVIEW_PANEL: Preset(
        RequestKind.INTERVIEW_PANEL, _l("Interview panel"),
        _l("Sit on an interview panel with mission staff. Confidential: declare any conflict "
           "of interest with this cycle's applicants."),
        (RoleData(_l("Panelist"), 2, returned_min_years=1),
         RoleData(_l("CIR panelist (interview in Japanese)"), 1, jet_role=JetRole.CIR,
                  min_japanese=JapaneseLevel.BUSINESS)), hours=7, respond_days=21),
    RequestKind.WAITING_ROOM_HOST: Preset(
        RequestKind.WAITING_ROOM_HOST, _l("Interview waiting-room host"),
        _l("Welcome applicants on interview day, keep time and answer their questions about "
           "JET."), (RoleData(_l("Host"), 2),), hours=7),
    RequestKind.PRE_DEPARTURE_ORIENTATION: Preset(
        RequestKind.PRE_DEPARTURE_ORIENTATION, _l("Pre-departure orientation"),
        _l("Give a talk or join a Q&A panel for this year's participants before they leave for "
           "Japan."), (RoleData(_l("Speaker"), 2, returned_max_years=5),
                       RoleData(_l("Q&A panelist"), 3)), hours=4),
    RequestKind.RETURNEE_EVENT: Preset(
        RequestKind.RETURNEE_EVENT, _l("Welcome-home reception"),
        _l("Welcome returning participants and introduce them to the branch and to careers "
           "after JET."), (RoleData(_l("Greeter"), 3),), hours=3),
    RequestKind.TESTIMONIAL_MEDIA: Preset(
        RequestKind.TESTIMONIAL_MEDIA, _l("Testimonial or media interview"),
        _l("Write a testimonial or give an interview about your JET years for the mission's "
           "recruitment material."), (RoleData(_l("Alumnus or alumna"), 2),), hours=2),
    RequestKind.OTHER: Preset(
        RequestKind.OTHER, _l("Recruitment help"), "", (RoleData(_l("Volunteer"), 1),)),
}


def stage_of(kind: RequestKind) -> Stage | None:
    """The first stage of the cycle that asks for this kind of help."""
    return next((s for s in all_stages() if kind.value in s.volunteer_kinds), None)
