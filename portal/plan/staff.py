"""Staff roles as code: who may edit, who approves, and the workflow between them.

Department editors (部门编辑) draft pages, measurements and answers to submissions and submit them;
the leading group's office (领导小组办公室, at the finance bureau) approves and publishes. Both groups
reach the admin.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from wagtail.admin.localization import get_available_admin_languages
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from .models import Department, HomePage, Measurement, Phase

EDITORS = "部门编辑"
OFFICE = "领导小组办公室"
WORKFLOW = "两级审核"

# Wagtail's migrations start every project with this workflow and task (for its Moderators group, on the root
# page). Ours replaces them; left unused, they only put an English name into staff's lists and reports.
WAGTAIL_STARTER_WORKFLOW = "Moderators approval"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
OFFICE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _model_permissions(model, actions):
    ct = ContentType.objects.get_for_model(model)
    return [Permission.objects.get(content_type=ct, codename=f"{a}_{model._meta.model_name}") for a in actions]


def setup_staff() -> list[str]:
    home = HomePage.objects.first()
    if home is None:
        raise LookupError("还没有首页。")
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    office, _ = Group.objects.get_or_create(name=OFFICE)

    from portal.participation.models import Submission
    from search.models import RecommendedTerm

    editors.permissions.add(
        admin_access,
        *_model_permissions(Measurement, ["add", "change"]),
        *_model_permissions(Submission, ["view", "change"]),
    )
    office.permissions.add(
        admin_access,
        *_model_permissions(Measurement, ["add", "change", "delete", "publish", "lock", "unlock"]),
        *_model_permissions(Department, ["add", "change"]),
        *_model_permissions(Phase, ["change"]),
        *_model_permissions(Submission, ["view", "change"]),
        # The office approves what the public site lists from residents' searches (大家常搜).
        *_model_permissions(RecommendedTerm, ["add", "change", "delete", "view"]),
        # Editors draft answers and submit them; the office decides what becomes final and public, and
        # which quarantined letters are genuine.
        *Permission.objects.filter(
            content_type__app_label="participation",
            codename__in=["view_personal_data", "approve_answer", "clear_quarantine"],
        ),
        # A one-off notice to a consultation's followers (a change of dates): the office speaks for the site.
        *Permission.objects.filter(content_type__app_label="follow", codename="send_notice"),
    )
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (office, OFFICE_PAGE_PERMISSIONS)):
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)

    task, _ = GroupApprovalTask.objects.get_or_create(name=f"{OFFICE}审核")
    task.groups.set([office])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Measurement), defaults={"workflow": workflow}
    )
    Workflow.objects.filter(name=WAGTAIL_STARTER_WORKFLOW, workflow_states__isnull=True).delete()
    # Wagtail writes a staff member's mail and admin in their profile's language: one chosen before the admin
    # offered only Chinese (WAGTAILADMIN_PERMITTED_LANGUAGES) would keep them in English, so it goes back to the
    # site's language.
    permitted = [code for code, _name in get_available_admin_languages()]
    UserProfile.objects.exclude(preferred_language__in=["", *permitted]).update(preferred_language="")
    Task.objects.filter(name=WAGTAIL_STARTER_WORKFLOW, task_states__isnull=True).delete()
    return [f"工作组:{EDITORS}、{OFFICE}", f"审核流程:{WORKFLOW}(页面与监测数据)"]
