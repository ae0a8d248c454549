from ninja import Router

router = Router(tags=["办案"])
