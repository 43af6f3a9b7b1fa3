"""Drop four indexes that a unique constraint's leading columns already give

Every review, notification, thanks and flag written kept one index more than its lookups
need: reviews and thanks by encounter (their one-per-side constraints lead with it),
notifications by user (ix_notifications_user_unread), flags by item (one-per-user).

Revision ID: 2bc18008396b
Revises: cd85d1499889
Create Date: 2026-11-29 04:15:45.985580

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2bc18008396b'
down_revision = 'cd85d1499889'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_target')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id')

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_encounter_id')

    with op.batch_alter_table('thanks', schema=None) as batch_op:
        batch_op.drop_index('ix_thanks_encounter_id')


def downgrade():
    with op.batch_alter_table('thanks', schema=None) as batch_op:
        batch_op.create_index('ix_thanks_encounter_id', ['encounter_id'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_encounter_id', ['encounter_id'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id', ['user_id'], unique=False)

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_target', ['target_type', 'target_id'], unique=False)
