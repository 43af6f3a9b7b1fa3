"""Named predicates about who may do what with accounts."""


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.kind == "admin")


def is_business_member(user) -> bool:
    return bool(user and user.is_authenticated and user.kind == "business")


def is_business_owner(user) -> bool:
    return is_business_member(user) and user.business_role == "owner"


def can_manage_staff(user) -> bool:
    return is_business_owner(user)
