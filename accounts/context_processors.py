def organization(request):
    """The current organisation and membership for the layout's side menu and user menu."""
    user = getattr(request, "user", None)
    membership = getattr(user, "membership", None) if user and user.is_authenticated else None
    return {
        "current_membership": membership,
        "current_organization": membership.organization if membership else None,
    }
