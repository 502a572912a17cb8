"""Administration → Job boards, admins only (recruiters get 403 from the mixin), split by
concept: ``access`` (the My Own Contracts card and the access request), ``groups`` (the
contract list and its groups), ``contracts`` (adding, editing, deleting a contract) and
``oauth`` (connecting a board account through the board's consent page)."""
