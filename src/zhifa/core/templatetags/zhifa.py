from django import template

register = template.Library()


@register.filter
def has_more_filters(form) -> bool:
    """Whether any filter other than the search box is set, so the folded filters open."""
    data = getattr(form, "cleaned_data", None) or {}
    return any(value for name, value in data.items() if name != "q")
