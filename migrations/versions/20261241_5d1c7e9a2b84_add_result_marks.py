"""Add result_marks: a stamp per scope that changes with what the result pages show of it.

The team page keeps its rendered results under the stamps of the team and its agents and the
stamp of `everyone` (names, scorecards, root causes, Auto QA), read in one small statement; every
write that changes what the page shows gives those scopes a new stamp in its own transaction.
The table starts with a random stamp for `everyone` so pages can be kept at once; the agents' and
teams' rows come with their first change.

Downgrade drops the table; the pages are then rendered on every request again.

Revision ID: 5d1c7e9a2b84
Revises: 4b362652b93c
Create Date: 2026-12-05 11:30:00.000000

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5d1c7e9a2b84"
down_revision = "4b362652b93c"
branch_labels = None
depends_on = None


def upgrade():
    marks = op.create_table(
        "result_marks",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_result_marks")),
    )
    op.bulk_insert(marks, [{"scope": "everyone", "stamp": secrets.randbits(62)}])


def downgrade():
    op.drop_table("result_marks")
