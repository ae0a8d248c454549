from ninja import Router

router = Router(tags=["裁量基准"])
