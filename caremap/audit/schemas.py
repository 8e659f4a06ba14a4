from caremap.core.schemas import PageArgs


class AccessLogArgs(PageArgs):
    pass
