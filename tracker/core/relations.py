"""Relationships shared by every model: the rows that belong to another, always read in one order, and
the rows another names by one of several columns."""

from sqlmodel import Relationship


def ordered_children(back_populates: str, order_by: str, **kwargs):
    """The rows that belong to this one (`back_populates` names this side on them), read in the order
    `order_by` gives, such as "Question.position"; `kwargs` go to SQLAlchemy's relationship as they are
    (a cascade, say)."""
    kwargs["order_by"] = order_by
    return Relationship(back_populates=back_populates, sa_relationship_kwargs=kwargs)


def named_by(column: str):
    """The row this one names in `column` ("Meeting.chair_id"), for a table that names more than one row
    of the other (a meeting's chair and its administrator)."""
    return Relationship(sa_relationship_kwargs={"foreign_keys": column})
