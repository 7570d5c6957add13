from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xianfeng.core.access import scope_for
from xianfeng.core.models import User
from xianfeng.organizations.selectors import organization_held
from xianfeng.people.models import Person
from xianfeng.people.selectors import person_memberships


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for monitoring; no data is revealed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001  (any failure means the database is not usable)
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database}, status=status
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's roles and the organizations they hold, each with its people and branches."""
    user = request.user
    person = (
        Person.objects.filter(user=user).select_related("organization").first()
        if isinstance(user, User)
        else None
    )
    context = {
        "scope": scope_for(request.user),
        "held": organization_held(user=request.user),
        "person": person,
        "memberships": person_memberships(person=person) if person is not None else [],
    }
    return render(request, "core/home.html", context)
