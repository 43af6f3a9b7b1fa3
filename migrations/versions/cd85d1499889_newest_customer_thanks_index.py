"""Index for the newest thanks of one side (the home page's recent thanks)

Revision ID: cd85d1499889
Revises: 59b8fc6580cf
Create Date: 2026-11-28 20:43:07.604555

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'cd85d1499889'
down_revision = '59b8fc6580cf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thanks', schema=None) as batch_op:
        batch_op.create_index('ix_thanks_side_newest', ['side', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('thanks', schema=None) as batch_op:
        batch_op.drop_index('ix_thanks_side_newest')
