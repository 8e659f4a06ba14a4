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
