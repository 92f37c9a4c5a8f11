from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificates of retired credits: the PDF, the public verification page and the embeddable badge."""

    name = "klimabok.certificates"
    label = "certificates"
    verbose_name = "Certificates"
