"""Contract groups of a customer.

Names are unique per customer (case-insensitive); idx values count up and are never reused;
the default group (idx 0) and any group holding contracts cannot be deleted.
"""

import uuid

from .common import ApiError, not_found
from .store import Store


def group_json(group: dict, customer_id: str) -> dict:
    return {
        "id": group["id"],
        "idx": group["idx"],
        "name": group["name"],
        "igb_customer_id": customer_id,
    }


def list_groups(store: Store, customer_id: str, query: dict) -> list[dict]:
    customer = store.customer(customer_id)
    groups = customer["groups"]
    term = (query.get("search") or "").lower()
    if term:
        groups = [g for g in groups if term in g["name"].lower()]
    ordering = query.get("ordering") or "idx"
    key = ordering.lstrip("-")
    if key in ("idx", "name"):
        groups = sorted(groups, key=lambda g: g[key], reverse=ordering.startswith("-"))
    return [group_json(g, customer_id) for g in groups]


def find_group(customer: dict, idx: str) -> dict:
    for group in customer["groups"]:
        if str(group["idx"]) == str(idx):
            return group
    raise not_found()


def _group_name(customer: dict, payload: dict, required: bool, exclude: dict | None = None):
    if "name" not in payload:
        if required:
            raise ApiError(400, {"name": ["This field is required."]})
        return None
    name = payload["name"]
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, {"name": ["This field may not be blank."]})
    name = name.strip()
    for group in customer["groups"]:
        if group is not exclude and group["name"].lower() == name.lower():
            raise ApiError(400, {"name": ["A contract group with this name already exists."]})
    return name


def create_group(store: Store, customer_id: str, payload: dict) -> dict:
    with store.lock:
        customer = store.customer(customer_id)
        name = _group_name(customer, payload, required=True)
        group = {"id": str(uuid.uuid4()), "idx": customer["next_idx"], "name": name}
        customer["groups"].append(group)
        customer["next_idx"] += 1
        store.save("customer", customer_id, customer)
        return group_json(group, customer_id)


def get_group(store: Store, customer_id: str, idx: str) -> dict:
    return group_json(find_group(store.customer(customer_id), idx), customer_id)


def update_group(store: Store, customer_id: str, idx: str, payload: dict, partial: bool):
    with store.lock:
        customer = store.customer(customer_id)
        group = find_group(customer, idx)
        name = _group_name(customer, payload, required=not partial, exclude=group)
        if name is not None:
            group["name"] = name
            store.save("customer", customer_id, customer)
        return group_json(group, customer_id)


def delete_group(store: Store, customer_id: str, idx: str) -> None:
    with store.lock:
        customer = store.customer(customer_id)
        group = find_group(customer, idx)
        if group["idx"] == 0:
            raise ApiError(400, {"detail": "The default contract group cannot be deleted."})
        if any(
            c["customer_id"] == customer_id and c["group_id"] == group["id"]
            for c in store.contracts.values()
        ):
            raise ApiError(
                400,
                {
                    "detail": "A contract group that holds contracts cannot be "
                    "deleted. Move or delete its contracts first."
                },
            )
        customer["groups"].remove(group)
        store.save("customer", customer_id, customer)
