from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from finance.views import health
from performance.views import overview

admin.site.site_header = _("Budget performance dashboard · administration")
admin.site.site_title = _("Budget performance dashboard")
admin.site.index_title = _("Master data")

# The error pages in the app's look (config/errors.py); the embedded demo shows them too
# (config.middleware.DemoErrorPagesMiddleware).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", overview.overview, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("finance.urls")),
    path("", include("workflow.urls")),
    path("", include("projects.urls")),
    path("", include("performance.urls")),
    path("", include("reports.urls")),
]
