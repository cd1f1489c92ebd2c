"""Masks for reporters' personal data, shown to roles that do not need it."""


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:]


def mask_email(email: str) -> str:
    local, at, domain = email.partition("@")
    if not at:
        return "*" * len(email)
    return (local[:1] + "***") + "@" + domain


def mask_reporter(reporter: dict[str, str]) -> dict[str, str]:
    masks = {"name": mask_name, "phone": mask_phone, "email": mask_email}
    return {
        key: masks.get(key, mask_name)(value) if value else value for key, value in reporter.items()
    }
