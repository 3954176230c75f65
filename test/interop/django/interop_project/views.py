from rest_framework.decorators import api_view
from rest_framework.response import Response


@api_view(["GET"])
def me(request):
    """The signed-in user in the shape Tessera's mePath reads: sub, username, name, role."""
    user = request.user
    return Response(
        {
            "sub": str(user.pk),
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "role": "admin" if user.is_staff else "user",
        }
    )
