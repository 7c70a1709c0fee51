"""Store what a history entry is about as data: a field kind and a criterion id.

Until now evaluation_changes.field held English words ('Score for "Greeting"', or the joined names
of the disputed criteria), so the page could not word them in the reader's language and a renamed
criterion would no longer match. The new columns are field_kind (what was changed) and criterion_id
(which criterion, when there is one); the page words them at display time.

Existing rows are converted here, in SQL: the words are matched against the criteria of the scorecard
version of the entry's evaluation. A dispute on several criteria becomes one entry per criterion,
with the same time, actor and reason, as the application now writes them. Words that match nothing
become field_kind 'other' and are kept verbatim in legacy_field, which the page shows as they are.

The old column is dropped: it would be a second, stale copy of the same fact. Downgrade writes the
English words back from field_kind and the criterion's name (a dispute on several criteria stays as
one entry per criterion, which the old code shows just as well).

Revision ID: e4cd770dddb2
Revises: 1e36caa0bc04
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4cd770dddb2'
down_revision = '1e36caa0bc04'
branch_labels = None
depends_on = None

FIELD_KINDS = (
    'score', 'criterion_score', 'comment', 'strengths', 'improvements', 'criterion', 'evaluation',
    'other',
)
# The words the application used to store for the fields without a criterion, with the entry
# kinds that could carry them (a criterion may well be called "Strengths": disputes name criteria).
FIXED_WORDS = (
    ('Score', 'score', "kind <> 'disputed'"),
    ('Strengths', 'strengths', "kind = 'edited'"),
    ('Areas to improve', 'improvements', "kind = 'edited'"),
    ('the whole evaluation', 'evaluation', "kind = 'disputed'"),
)
# How the words named a criterion c, as SQL, for each field kind about one criterion.
CRITERION_WORDS = (
    ('criterion_score', """'Score for "' || c.name || '"'""", "kind <> 'disputed'"),
    ('comment', """'Comment on "' || c.name || '"'""", "kind = 'edited'"),
    ('criterion', 'c.name', "kind = 'disputed'"),
)
SAME_VERSION_CRITERIA = (
    'FROM criteria c JOIN evaluations e ON e.scorecard_version_id = c.scorecard_version_id'
    ' WHERE e.id = evaluation_changes.evaluation_id'
)


def upgrade():
    with op.batch_alter_table('evaluation_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_kind', sa.Enum(*FIELD_KINDS, name='change_field', native_enum=False, create_constraint=True, length=16), nullable=True))
        batch_op.add_column(sa.Column('criterion_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('legacy_field', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_evaluation_changes_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_changes_criterion_id_criteria'), 'criteria', ['criterion_id'], ['id'])

    _convert_words()
    _split_disputes_on_several_criteria()
    op.execute(
        "UPDATE evaluation_changes SET field_kind = 'other', legacy_field = field"
        " WHERE field_kind IS NULL AND field <> ''"
    )

    with op.batch_alter_table('evaluation_changes', schema=None) as batch_op:
        batch_op.drop_column('field')


def _convert_words():
    """Every entry whose words are one of the fixed fields or name exactly one criterion."""
    bind = op.get_bind()
    for words, field_kind, kinds in FIXED_WORDS:
        bind.execute(
            sa.text(
                f'UPDATE evaluation_changes SET field_kind = :field_kind'
                f' WHERE field_kind IS NULL AND field = :words AND {kinds}'
            ),
            {'field_kind': field_kind, 'words': words},
        )
    for field_kind, named, kinds in CRITERION_WORDS:
        matches = f'{SAME_VERSION_CRITERIA} AND {named} = evaluation_changes.field'
        bind.execute(
            sa.text(
                f'UPDATE evaluation_changes SET field_kind = :field_kind,'
                f' criterion_id = (SELECT MIN(c.id) {matches})'
                f' WHERE field_kind IS NULL AND {kinds} AND EXISTS (SELECT 1 {matches})'
            ),
            {'field_kind': field_kind},
        )


def _split_disputes_on_several_criteria():
    """A dispute entry naming several criteria (joined by ", ") becomes one entry per criterion."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            'SELECT ch.id, ch.field, e.scorecard_version_id FROM evaluation_changes ch'
            ' JOIN evaluations e ON e.id = ch.evaluation_id'
            " WHERE ch.field_kind IS NULL AND ch.kind = 'disputed' AND ch.field <> ''"
        )
    ).all()
    names_by_version = {}
    for change_id, words, version_id in rows:
        if version_id not in names_by_version:
            names_by_version[version_id] = _criterion_names(bind, version_id)
        criterion_ids = _split_names(words, names_by_version[version_id])
        if not criterion_ids:
            continue  # left for 'other'
        for criterion_id in criterion_ids[1:]:
            bind.execute(
                sa.text(
                    'INSERT INTO evaluation_changes (evaluation_id, actor_id, at, kind, field,'
                    ' field_kind, criterion_id, old_value, new_value, reason)'
                    " SELECT evaluation_id, actor_id, at, kind, field, 'criterion', :criterion_id,"
                    ' old_value, new_value, reason FROM evaluation_changes WHERE id = :id'
                ),
                {'criterion_id': criterion_id, 'id': change_id},
            )
        bind.execute(
            sa.text(
                "UPDATE evaluation_changes SET field_kind = 'criterion', criterion_id = :criterion_id"
                ' WHERE id = :id'
            ),
            {'criterion_id': criterion_ids[0], 'id': change_id},
        )


def _criterion_names(bind, version_id):
    rows = bind.execute(
        sa.text(
            'SELECT name, MIN(id) FROM criteria WHERE scorecard_version_id = :version_id'
            ' GROUP BY name'
        ),
        {'version_id': version_id},
    )
    return dict(rows.all())


def _split_names(words, names):
    """The criterion ids whose names, joined by ", ", give the words; None when none do."""
    if words in names:
        return [names[words]]
    for name, criterion_id in names.items():
        if words.startswith(name + ', '):
            rest = _split_names(words[len(name) + 2:], names)
            if rest is not None:
                return [criterion_id, *rest]
    return None


def downgrade():
    with op.batch_alter_table('evaluation_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field', sa.String(length=200), nullable=True))

    name = '(SELECT c.name FROM criteria c WHERE c.id = evaluation_changes.criterion_id)'
    op.execute(
        'UPDATE evaluation_changes SET field = COALESCE(CASE field_kind'
        " WHEN 'score' THEN 'Score'"
        " WHEN 'strengths' THEN 'Strengths'"
        " WHEN 'improvements' THEN 'Areas to improve'"
        " WHEN 'evaluation' THEN 'the whole evaluation'"
        f""" WHEN 'criterion_score' THEN 'Score for "' || {name} || '"'"""
        f""" WHEN 'comment' THEN 'Comment on "' || {name} || '"'"""
        f" WHEN 'criterion' THEN {name}"
        " WHEN 'other' THEN legacy_field"
        " END, '')"
    )

    with op.batch_alter_table('evaluation_changes', schema=None) as batch_op:
        batch_op.alter_column('field', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_evaluation_changes_criterion_id_criteria'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evaluation_changes_criterion_id'))
        batch_op.drop_constraint(batch_op.f('ck_evaluation_changes_change_field'), type_='check')
        batch_op.drop_column('legacy_field')
        batch_op.drop_column('criterion_id')
        batch_op.drop_column('field_kind')
