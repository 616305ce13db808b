"""Every write of the collaboration space, one module per use case; callers import the module
they need (`from hw4all.forum.services import access, proposals`)."""
