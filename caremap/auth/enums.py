import enum


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    KEY_WORKER = "key_worker"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
