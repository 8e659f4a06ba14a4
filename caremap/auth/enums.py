from caremap.core.enums import LabelledEnum, labelled


class Role(LabelledEnum):
    PRACTITIONER = "practitioner"
    KEY_WORKER = "key_worker"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    MANAGER = "manager"
    ADMIN = "admin"


labelled(
    Role,
    {
        Role.PRACTITIONER: "Practitioner",
        Role.KEY_WORKER: "Key worker",
        Role.SAFEGUARDING_LEAD: "Safeguarding lead",
        Role.MANAGER: "Manager",
        Role.ADMIN: "Admin",
    },
)


class TokenScope(LabelledEnum):
    """What a personal API token may reach. A system that only reads records (a GP system,
    a shared care record) gets `fhir_read`, so a leaked token cannot change anything."""

    FULL = "full"  # the JSON API (/api/v1) and the FHIR view, as the user
    FHIR_READ = "fhir_read"  # the read-only FHIR view (/fhir) only


labelled(
    TokenScope,
    {
        TokenScope.FULL: "Everything you can do (the caremap API and the FHIR view)",
        TokenScope.FHIR_READ: "Read records through the FHIR view only",
    },
)
