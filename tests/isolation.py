"""The isolation registry: every URL name of the portal is declared here, with how to
reach region B's object (or B's rows) from it. ``tests/test_isolation.py`` fails when a
URL name is missing, and requests each declared URL as every role of region A.

Kinds:
* ``public`` — reachable without login (login page); nothing tenant-owned on it.
* ``personal`` — a page about the signed-in user only (no tenant objects of others).
* ``list`` — a scoped list; region B's ``marker`` text must never appear on it.
* ``object`` — a page or action on one object; region B's object answers 404.
* ``shared`` — a page or action on an object no region owns (ФИОКО's federal catalogue of
  risk factors); only an administrator may change it, so every persona of region A gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    kind: str
    method: str = "get"
    #: For ``object``: the URL kwargs of region B's object, built from the fixtures.
    kwargs: Callable[[dict], dict] | None = None
    #: For ``list``: text of region B that must not appear.
    marker: Callable[[dict], str] | None = None
    #: Personas of region A that may open the page at all (others get 403).
    mutation: bool = False
    #: For ``object``: the persona of region B who may open the page (to prove the URL works).
    viewer: str = "regional_staff"


def _school_b(objs):
    return {"public_id": objs["world_b"].school1.public_id}


def _job_b(objs):
    return {"public_id": objs["job_b"].public_id}


def _batch_b(objs):
    return {"public_id": objs["batch_b"].public_id}


def _region_b(objs):
    return objs["world_b"].region.name


def _profile_b(objs):
    return {"public_id": objs["profile_b"].public_id}


def _document_b(objs):
    return {"public_id": objs["document_b"].public_id}


def _roadmap_b(objs):
    return {"public_id": objs["roadmap_b"].public_id}


def _item_b(objs):
    return {"public_id": objs["item_b"].public_id}


def _school2_year_b(objs):
    return {"school": objs["world_b"].school2.public_id, "year": 2022}


def _school_year_b(objs):
    return {"school": objs["world_b"].school1.public_id, "year": 2022}


def _factor(objs):
    return {"pk": objs["factor"].pk}


def _pk(name):
    return lambda objs: {"public_id": objs[name].public_id}


def _route_part(part):
    return lambda objs: {"public_id": objs["route_b"].public_id,
                         f"{part}_id": objs[f"{part}_b"].pk}


def _text(name, attr="full_name"):
    return lambda objs: getattr(objs[name], attr)


URLS: dict[str, Case] = {
    "login": Case("public"),
    "health": Case("public"),
    "metrics": Case("public"),
    "logout": Case("personal", method="post", mutation=True),
    "core:home": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "core:profile": Case("personal"),
    "core:password_change": Case("personal"),
    "core:audit_list": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "core:audit_export": Case("list", method="post", mutation=True,
                              marker=lambda o: o["world_b"].school1.short_name),
    "core:notification_list": Case("list", marker=lambda o: o["document_b"].school.short_name),
    "core:notification_read_all": Case("personal", method="post", mutation=True),
    # the user's own preferences: region B's names never appear on it
    "core:notification_settings": Case("list", marker=lambda o: o["document_b"].school.short_name),
    "core:notification_open": Case("object", method="post", mutation=True,
                                   kwargs=lambda o: {"public_id": o["notification_b"].public_id}),
    "core:job_detail": Case("object", kwargs=_job_b),
    "core:job_status": Case("object", kwargs=_job_b),
    "core:job_download": Case("object", kwargs=_job_b),
    "core:job_list": Case("personal"),
    "core:job_restart": Case("object", method="post", mutation=True, kwargs=_job_b),
    "schools:school_list": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "schools:school_detail": Case("object", kwargs=_school_b),
    "schools:school_export": Case("list", method="post", mutation=True,
                                  marker=lambda o: o["world_b"].school1.short_name),
    "schools:thresholds": Case("list", marker=_region_b),
    "schools:import_list": Case("list", marker=lambda o: o["batch_b"].file_name),
    "schools:import_new": Case("list", marker=_region_b),
    "schools:import_detail": Case("object", kwargs=_batch_b),
    "schools:import_file": Case("object", kwargs=_batch_b),
    "schools:import_mapping": Case("object", method="post", mutation=True, kwargs=_batch_b),
    "schools:import_apply": Case("object", method="post", mutation=True, kwargs=_batch_b),
    "schools:import_territories": Case("object", method="post", mutation=True,
                                       kwargs=_batch_b),
    "curators:assignment_list": Case("list",
                                     marker=lambda o: o["world_b"].curator.last_name),
    "curators:board": Case("list", marker=lambda o: o["world_b"].curator.last_name),
    "curators:bulk_assign": Case("list", method="post", mutation=True,
                                 marker=lambda o: o["world_b"].school2.short_name),
    "curators:curator_import": Case("list", method="post", mutation=True,
                                    marker=lambda o: o["order_b"].number),
    "curators:order_create": Case("list", method="post", mutation=True,
                                  marker=lambda o: o["order_b"].number),
    "curators:order_file": Case("object",
                                kwargs=lambda o: {"public_id": o["order_b"].public_id}),
    "curators:assignment_end": Case("object", method="post", mutation=True,
                                    kwargs=lambda o: {"public_id": o["assignment_b"].public_id}),
    "curators:curator_detail": Case("object",
                                    kwargs=lambda o: {"public_id": o["world_b"].curator.public_id}),
    "curators:affiliation_add": Case("object", method="post", mutation=True,
                                     kwargs=lambda o: {"public_id":
                                                       o["world_b"].curator.public_id}),
    "curators:affiliation_end": Case("object", method="post", mutation=True,
                                     kwargs=lambda o: {"public_id":
                                                       o["affiliation_b"].public_id}),
    "curators:log": Case("list", marker=lambda o: o["log_b"].text),
    "curators:log_add": Case("list", method="post", mutation=True,
                             marker=lambda o: o["log_b"].text),
    # an evidence file of region B answers 404 to region A
    "curators:log_evidence": Case("object", kwargs=lambda o: {"public_id": o["log_b"].public_id},
                                  viewer="curator"),
    "curators:log_remove": Case("object", method="post", mutation=True,
                                kwargs=lambda o: {"public_id": o["log_b"].public_id}),
    "curators:expertise": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "curators:sheet": Case("object", kwargs=_school_year_b),
    "curators:report": Case("list", marker=lambda o: o["world_b"].curator.last_name),
    "curators:report_pdf": Case("list", method="post", mutation=True,
                                marker=lambda o: o["world_b"].curator.last_name),
    "risk_profiles:profile_list": Case("list",
                                       marker=lambda o: o["world_b"].school1.short_name),
    "risk_profiles:profile_create": Case("list", method="post", mutation=True,
                                         marker=lambda o: o["world_b"].school1.short_name),
    "risk_profiles:profile_detail": Case("object", kwargs=_profile_b),
    "risk_profiles:profile_edit": Case("object", method="post", mutation=True,
                                       kwargs=_profile_b),
    "risk_profiles:profile_transition": Case("object", method="post", mutation=True,
                                             kwargs=_profile_b),
    "risk_profiles:distribution": Case("list", marker=_region_b),
    "risk_profiles:matrix": Case("list", marker=lambda o: o["world_b"].curator.last_name),
    "risk_profiles:matrix_export": Case("list",
                                        marker=lambda o: o["world_b"].school1.short_name),
    "risk_profiles:catalogue": Case("list", marker=_region_b),
    "risk_profiles:catalogue_copy": Case("list", method="post", mutation=True,
                                         marker=_region_b),
    "risk_profiles:factor_new": Case("list", marker=_region_b),
    "risk_profiles:factor_edit": Case("shared", kwargs=_factor),
    "risk_profiles:factor_delete": Case("shared", method="post", mutation=True,
                                        kwargs=_factor),
    "curators:queue": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "roadmaps:document_list": Case("list", marker=lambda o: o["world_b"].school1.short_name),
    "roadmaps:kinds": Case("list", marker=_region_b),
    "roadmaps:kinds_load": Case("list", method="post", mutation=True, marker=_region_b),
    "roadmaps:checklist": Case("object", kwargs=_school_year_b),
    "roadmaps:document_upload": Case("object", kwargs=_school_year_b,
                                     viewer="school_coordinator"),
    "roadmaps:document_detail": Case("object", kwargs=_document_b),
    "roadmaps:version_upload": Case("object", method="post", mutation=True, kwargs=_document_b),
    "roadmaps:document_action": Case("object", method="post", mutation=True,
                                     kwargs=_document_b),
    "roadmaps:document_decide": Case("object", method="post", mutation=True,
                                     kwargs=_document_b),
    "roadmaps:comment_add": Case("object", method="post", mutation=True, kwargs=_document_b),
    "roadmaps:version_compare": Case("object", kwargs=_document_b),
    # a file of region B answers 404 to region A
    "roadmaps:version_download": Case("object",
                                      kwargs=lambda o: {"public_id": o["version_b"].public_id}),
    # electronic roadmaps and the plan-schedule
    "roadmaps:plan_list": Case("list", marker=lambda o: o["roadmap_b"].title),
    "roadmaps:plan_create": Case("list", method="post", mutation=True,
                                 marker=lambda o: o["roadmap_b"].title),
    "roadmaps:plan_import": Case("list", method="post", mutation=True,
                                 marker=lambda o: o["roadmap_b"].title),
    "roadmaps:plan_detail": Case("object", kwargs=_roadmap_b),
    "roadmaps:plan_timeline": Case("object", kwargs=_roadmap_b),
    "roadmaps:plan_xlsx": Case("object", kwargs=_roadmap_b),
    "roadmaps:plan_pdf": Case("object", method="post", mutation=True, kwargs=_roadmap_b),
    "roadmaps:section_add": Case("object", method="post", mutation=True, kwargs=_roadmap_b),
    "roadmaps:item_add": Case("object", method="post", mutation=True, kwargs=_roadmap_b),
    # school 2 of region B has no roadmap yet: the page is the «start» page
    "roadmaps:school_plan": Case("object", kwargs=_school2_year_b),
    "roadmaps:school_plan_start": Case("object", method="post", mutation=True,
                                       kwargs=_school2_year_b),
    "roadmaps:item_detail": Case("object", kwargs=_item_b),
    "roadmaps:item_edit": Case("object", method="post", mutation=True, kwargs=_item_b),
    "roadmaps:item_complete": Case("object", method="post", mutation=True, kwargs=_item_b),
    "roadmaps:item_reopen": Case("object", method="post", mutation=True, kwargs=_item_b),
    "roadmaps:item_remove": Case("object", method="post", mutation=True, kwargs=_item_b),
    "roadmaps:overdue": Case("list", marker=lambda o: o["item_b"].activity),
    "roadmaps:schedule": Case("list", marker=lambda o: o["stage_b"].title),
    "roadmaps:stage_add": Case("list", method="post", mutation=True,
                               marker=lambda o: o["stage_b"].title),
    "roadmaps:stage_edit": Case("object", method="post", mutation=True,
                                kwargs=lambda o: {"public_id": o["stage_b"].public_id}),
    "roadmaps:stage_remove": Case("object", method="post", mutation=True,
                                  kwargs=lambda o: {"public_id": o["stage_b"].public_id}),
    # management: region B's indicators, its targets and values
    "management:indicators": Case("list", marker=_region_b),
    "management:catalogue_create": Case("list", method="post", mutation=True,
                                        marker=_region_b),
    "management:compute": Case("list", method="post", mutation=True, marker=_region_b),
    "management:indicator": Case("object", kwargs=_pk("indicator_b")),
    "management:target_set": Case("object", method="post", mutation=True,
                                  kwargs=_pk("indicator_b")),
    "management:value_enter": Case("object", method="post", mutation=True,
                                   kwargs=_pk("indicator_b")),
    "management:evidence": Case("object", kwargs=_pk("indicator_b")),
    "management:calendar": Case("list", marker=_region_b),
    "management:calendar_create": Case("list", method="post", mutation=True, marker=_region_b),
    "management:event_complete": Case("object", method="post", mutation=True,
                                      kwargs=_pk("event_b")),
    "management:event_result": Case("object", kwargs=_pk("event_b")),
    "management:recommendations": Case("list", marker=lambda o: o["recommendation_b"].text),
    "management:recommendation_new": Case("list", marker=lambda o: o["world_b"].school1.full_name),
    "management:recommendation": Case("object", kwargs=_pk("recommendation_b")),
    "management:recommendation_act": Case("object", method="post", mutation=True,
                                          kwargs=_pk("recommendation_b")),
    "management:recommendation_report": Case("object", method="post", mutation=True,
                                             kwargs=_pk("recommendation_b")),
    "management:recommendation_file": Case("object", kwargs=_pk("recommendation_b")),
    "management:recommendation_measure": Case("object", method="post", mutation=True,
                                              kwargs=_pk("recommendation_b")),
    "management:analysis": Case("object", kwargs=_pk("indicator_b")),
    "management:analysis_export": Case(
        "object", kwargs=lambda o: {"public_id": o["indicator_b"].public_id, "fmt": "xlsx"}),
    "management:conclusion": Case("object", method="post", mutation=True,
                                  kwargs=_pk("indicator_b")),
    "management:decisions": Case("list", marker=lambda o: o["decision_b"].title),
    "management:decision_new": Case("list", marker=lambda o: o["world_b"].school1.full_name),
    "management:decision": Case("object", kwargs=_pk("decision_b")),
    "management:decision_file": Case("object", kwargs=_pk("decision_b")),
    "management:reports": Case("list", marker=_region_b),
    "management:report_start": Case("list", method="post", mutation=True, marker=_region_b),
    "management:report_file": Case("object", kwargs=_pk("report_b")),
    "management:report_approve": Case("object", method="post", mutation=True,
                                      kwargs=_pk("report_b")),
    "management:exit_list": Case("list", marker=lambda o: o["exit_b"].basis),
    "management:exit_build": Case("list", method="post", mutation=True, marker=_region_b),
    "management:exit_review": Case("list", method="post", mutation=True, marker=_region_b),
    "management:exit_export": Case("list", marker=lambda o: o["exit_b"].basis),
    # monitoring: the dashboard, its reports and the engagement score of region B
    "monitoring:dashboard": Case("list", marker=_region_b),
    "monitoring:report_start": Case("list", method="post", mutation=True, marker=_region_b),
    "monitoring:recompute": Case("list", method="post", mutation=True, marker=_region_b),
    "monitoring:engagement": Case("object", kwargs=lambda o: {
        "public_id": o["score_b"].public_id}),
    "monitoring:proposals_confirm": Case("object", method="post", mutation=True,
                                         kwargs=lambda o: {"public_id": o["score_b"].public_id}),
    "monitoring:component_confirm": Case("object", method="post", mutation=True,
                                         kwargs=lambda o: {
                                             "public_id": o["component_b"].public_id}),
    "monitoring:rules": Case("shared", kwargs=lambda o: {"year": 2022}),
    # methodists: region B's pool never shows in region A
    "methodists:list": Case("list", marker=_text("methodist_b")),
    "methodists:export": Case("list", marker=_text("methodist_b")),
    "methodists:subjects": Case("list", marker=_region_b),
    "methodists:coverage": Case("list", marker=_region_b),
    "methodists:new": Case("list", marker=_region_b),
    "methodists:import": Case("list", method="post", mutation=True, marker=_region_b),
    "methodists:detail": Case("object", kwargs=_pk("methodist_b")),
    "methodists:edit": Case("object", kwargs=_pk("methodist_b")),
    # training: region B's courses, staff, enrolments and routes
    "training:course_list": Case("list", marker=_text("course_b", "title")),
    "training:course_new": Case("list", marker=_region_b),
    "training:course": Case("object", kwargs=_pk("course_b")),
    "training:course_edit": Case("object", kwargs=_pk("course_b")),
    "training:run_new": Case("object", method="post", mutation=True, kwargs=_pk("course_b")),
    "training:run": Case("object", kwargs=_pk("run_b")),
    "training:run_edit": Case("object", method="post", mutation=True, kwargs=_pk("run_b")),
    "training:run_export": Case("object", kwargs=_pk("run_b")),
    "training:run_enrol": Case("object", method="post", mutation=True, kwargs=_pk("run_b")),
    "training:run_import": Case("object", method="post", mutation=True, kwargs=_pk("run_b")),
    "training:run_complete": Case("object", method="post", mutation=True,
                                  kwargs=_pk("run_b")),
    "training:enrolment_edit": Case("object", kwargs=_pk("enrolment_b")),
    "training:staff_list": Case("list", marker=_text("staff_b")),
    "training:staff_new": Case("object", kwargs=lambda o: {
        "school_id": o["world_b"].school1.public_id}),
    "training:staff": Case("object", kwargs=_pk("staff_b")),
    "training:staff_edit": Case("object", kwargs=_pk("staff_b")),
    "training:coverage": Case("list", marker=_region_b),
    "training:route_list": Case("list", marker=_text("staff_b")),
    "training:route_new": Case("list", marker=_text("staff_b")),
    "training:route": Case("object", kwargs=_pk("route_b")),
    "training:route_deficit": Case("object", method="post", mutation=True,
                                   kwargs=_pk("route_b")),
    "training:deficit_close": Case("object", method="post", mutation=True,
                                   kwargs=_route_part("deficit")),
    "training:route_step": Case("object", method="post", mutation=True, kwargs=_pk("route_b")),
    "training:step_done": Case("object", method="post", mutation=True,
                               kwargs=_route_part("step")),
    "training:route_note": Case("object", method="post", mutation=True, kwargs=_pk("route_b")),
    "training:route_tutor": Case("object", method="post", mutation=True,
                                 kwargs=_pk("route_b")),
    "training:route_finish": Case("object", method="post", mutation=True,
                                  kwargs=_pk("route_b")),
    # contests: region B's published edition, its nomination, jury, application and bank
    "contests:edition_list": Case("list", marker=_region_b),
    "contests:edition_new": Case("list", marker=_region_b),
    "contests:edition": Case("object", kwargs=_pk("edition_b")),
    "contests:edition_edit": Case("object", kwargs=_pk("edition_b")),
    "contests:edition_advance": Case("object", method="post", mutation=True,
                                     kwargs=_pk("edition_b")),
    "contests:results_export": Case("object", kwargs=_pk("edition_b")),
    "contests:regulation_upload": Case("object", method="post", mutation=True,
                                       kwargs=_pk("edition_b")),
    "contests:regulation_download": Case("object", kwargs=_pk("regulation_b")),
    "contests:nomination_new": Case("object", method="post", mutation=True,
                                    kwargs=_pk("edition_b")),
    "contests:application_new": Case("object", kwargs=_pk("edition_b"),
                                     viewer="school_coordinator"),
    "contests:nomination": Case("object", kwargs=_pk("nomination_b")),
    "contests:nomination_edit": Case("object", method="post", mutation=True,
                                     kwargs=_pk("nomination_b")),
    "contests:criterion_new": Case("object", method="post", mutation=True,
                                   kwargs=_pk("nomination_b")),
    "contests:criterion_edit": Case("object", method="post", mutation=True,
                                    kwargs=lambda o: {"public_id": o["nomination_b"].public_id,
                                                      "number": 1}),
    "contests:criterion_delete": Case("object", method="post", mutation=True,
                                      kwargs=lambda o: {"public_id": o["nomination_b"].public_id,
                                                        "number": 1}),
    "contests:juror_add": Case("object", method="post", mutation=True,
                               kwargs=_pk("nomination_b")),
    "contests:assign_manual": Case("object", method="post", mutation=True,
                                   kwargs=_pk("nomination_b")),
    "contests:assign_auto": Case("object", method="post", mutation=True,
                                 kwargs=_pk("nomination_b")),
    "contests:juror_remove": Case("object", method="post", mutation=True,
                                  kwargs=_pk("juror_b")),
    "contests:juror_chair": Case("object", method="post", mutation=True, kwargs=_pk("juror_b")),
    "contests:review": Case("object", kwargs=_pk("assignment_b"), viewer="methodist"),
    "contests:assignment_remove": Case("object", method="post", mutation=True,
                                       kwargs=_pk("assignment_b")),
    "contests:review_correct": Case("object", kwargs=_pk("assignment_b"), viewer="methodist"),
    "contests:application_list": Case("list", marker=_text("application_b", "title")),
    "contests:application": Case("object", kwargs=_pk("application_b")),
    "contests:application_edit": Case("object", kwargs=_pk("application_b"),
                                      viewer="school_coordinator"),
    "contests:application_withdraw": Case("object", method="post", mutation=True,
                                          kwargs=_pk("application_b")),
    "contests:material_add": Case("object", method="post", mutation=True,
                                  kwargs=_pk("application_b")),
    "contests:result_set": Case("object", method="post", mutation=True,
                                kwargs=_pk("application_b")),
    "contests:diploma": Case("object", kwargs=_pk("application_b")),
    "contests:material_version": Case("object", method="post", mutation=True,
                                      kwargs=_pk("material_b")),
    "contests:material_remove": Case("object", method="post", mutation=True,
                                     kwargs=_pk("material_b")),
    "contests:version_download": Case("object", kwargs=_pk("contest_version_b")),
    "contests:my_reviews": Case("list", marker=_text("application_b", "title")),
    "contests:bank": Case("list", marker=_text("application_b", "title")),
    "contests:practice": Case("object", kwargs=_pk("application_b")),
    # open to everyone by design: the published winners of one edition
    "contests:winners": Case("public", kwargs=lambda o: {"region_code": o["world_b"].region.code,
                                                         "year": 2026}),
}

#: URL namespaces that are not the portal's own pages, and why.
EXEMPT_NAMESPACES = {
    # Django's admin: only administrators (national scope) get in; its own tests guard it.
    "admin",
}


#: Who may open each page (GET) of region B's object or list: these personas of region B
#: (and the federal observer, «observer») get 200, every other one 403 or 404. Reviewed by
#: hand (issue 22): the observer opens aggregates and shared pages only, never a record.
#: Personas: staff (regional staff), municipal, curator, school, methodist, observer.
OPENERS: dict[str, str] = {
    "contests:application": "staff municipal school methodist",
    "contests:application_edit": "school",
    "contests:application_list": "staff municipal school",
    "contests:application_new": "school",
    "contests:bank": "staff municipal curator school methodist",
    "contests:diploma": "staff municipal school methodist",
    "contests:edition": "staff municipal curator school methodist",
    "contests:edition_edit": "staff",
    "contests:edition_list": "staff municipal curator school methodist",
    "contests:edition_new": "staff",
    "contests:my_reviews": "methodist",
    "contests:nomination": "staff municipal curator school methodist",
    "contests:practice": "staff municipal curator school methodist",
    "contests:regulation_download": "staff municipal curator school methodist",
    "contests:results_export": "staff",
    "contests:review": "methodist",
    "contests:review_correct": "methodist",
    "contests:version_download": "staff municipal curator school methodist",
    "core:audit_list": "staff municipal",
    "core:home": "staff municipal curator school methodist observer",
    "core:job_detail": "staff",
    "core:job_download": "staff",
    "core:job_status": "staff",
    "core:notification_list": "staff municipal curator school methodist observer",
    "core:notification_settings": "staff municipal curator school methodist observer",
    "curators:assignment_list": "staff municipal curator",
    "curators:board": "staff",
    "curators:curator_detail": "staff curator",
    "curators:expertise": "staff municipal curator school",
    "curators:log": "staff municipal curator",
    "curators:log_evidence": "staff municipal curator",
    "curators:order_file": "staff municipal curator school methodist",
    "curators:queue": "staff municipal curator",
    "curators:report": "staff municipal curator",
    "curators:sheet": "staff municipal curator school",
    "methodists:coverage": "staff municipal curator methodist",
    "methodists:detail": "staff municipal curator methodist",
    "methodists:edit": "staff",
    "methodists:export": "staff municipal curator methodist",
    "methodists:list": "staff municipal curator methodist",
    "methodists:new": "staff",
    "methodists:subjects": "staff municipal curator methodist",
    "management:calendar": "staff municipal",
    "management:event_result": "staff municipal",
    "management:evidence": "staff",
    "management:recommendation": "staff municipal school",
    "management:recommendation_file": "staff municipal school",
    "management:recommendation_new": "staff municipal",
    "management:recommendations": "staff municipal school",
    "management:analysis": "staff municipal",
    "management:analysis_export": "staff municipal",
    "management:decisions": "staff municipal",
    "management:decision_new": "staff municipal",
    "management:decision": "staff municipal",
    "management:decision_file": "staff municipal",
    "management:reports": "staff municipal",
    "management:report_file": "staff municipal",
    "management:exit_list": "staff municipal",
    "management:exit_export": "staff municipal",
    "management:indicator": "staff municipal",
    "management:indicators": "staff municipal",
    "monitoring:dashboard": "staff municipal observer",
    "monitoring:engagement": "staff municipal observer",
    "risk_profiles:catalogue": "staff municipal curator school methodist observer",
    "risk_profiles:distribution": "staff municipal curator observer",
    "risk_profiles:factor_new": "",
    "risk_profiles:matrix": "staff curator",
    "risk_profiles:matrix_export": "staff curator",
    "risk_profiles:profile_detail": "staff municipal curator school",
    "risk_profiles:profile_list": "staff municipal curator school",
    "roadmaps:checklist": "staff municipal curator school",
    "roadmaps:document_detail": "staff municipal curator school",
    "roadmaps:document_list": "staff municipal curator school",
    "roadmaps:document_upload": "school",
    "roadmaps:item_detail": "staff municipal curator school",
    "roadmaps:kinds": "staff municipal curator school",
    "roadmaps:overdue": "staff municipal curator school methodist",
    "roadmaps:plan_detail": "staff municipal curator methodist",
    "roadmaps:plan_list": "staff municipal curator school methodist",
    "roadmaps:plan_timeline": "staff municipal curator methodist",
    "roadmaps:plan_xlsx": "staff municipal curator methodist",
    "roadmaps:schedule": "staff municipal curator school methodist",
    "roadmaps:school_plan": "staff municipal",
    "roadmaps:version_compare": "staff municipal curator school",
    "roadmaps:version_download": "staff municipal curator school",
    "schools:import_detail": "staff",
    "schools:import_file": "staff",
    "schools:import_list": "staff",
    "schools:import_new": "staff",
    "schools:school_detail": "staff municipal curator school",
    "schools:school_list": "staff municipal curator school",
    "schools:thresholds": "staff",
    "training:course": "staff municipal curator school methodist",
    "training:course_edit": "staff",
    "training:course_list": "staff municipal curator school methodist",
    "training:course_new": "staff",
    "training:coverage": "staff municipal curator",
    "training:enrolment_edit": "staff",
    "training:route": "staff curator school methodist",
    "training:route_list": "staff curator school methodist",
    "training:route_new": "staff curator school",
    "training:run": "staff municipal curator school methodist",
    "training:run_export": "staff curator school",
    "training:staff": "staff curator school",
    "training:staff_edit": "staff school",
    "training:staff_list": "staff curator school",
    "training:staff_new": "staff school",
}


# Apps that keep their isolation cases beside their own tests add them here.
from tests.isolation_mentoring import OPENERS as _MENTORING_OPENERS  # noqa: E402
from tests.isolation_mentoring import URLS as _MENTORING_URLS  # noqa: E402

URLS.update(_MENTORING_URLS)
OPENERS.update(_MENTORING_OPENERS)

# The read API (kind «api»: a bearer token, never a session; tests/api/test_api_isolation.py
# reads each endpoint with every role's token) and the pages of one's own tokens.
URLS.update({
    "api:token_create": Case("personal", method="post", mutation=True),
    "api:token_revoke": Case("personal", method="post", mutation=True,
                             kwargs=lambda o: {"public_id": o["token_b"].public_id}),
    "api:docs": Case("personal"),
    **{f"api:{name}": Case("api") for name in (
        "schema", "regions", "municipalities", "school_years", "risk_profiles", "documents",
        "assignments", "engagement", "dashboard", "indicators", "training_coverage",
        "rma_coverage")},
})
