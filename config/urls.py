from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz

admin.site.site_header = _("Jobcast support")
admin.site.site_title = _("Jobcast support")
# Support staff log in through allauth's login (rate limited, with two-factor authentication),
# never through the admin's own login form.
admin.site.login = secure_admin_login(admin.site.login)

# A database or cache outage met in a middleware is a 503 too (config/outages.py).
handler500 = "config.outages.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("support/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.urls")),
    path("", include("jobs.urls")),
    path("", include("contracts.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
