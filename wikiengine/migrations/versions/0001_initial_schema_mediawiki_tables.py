"""initial schema: MediaWiki tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 00:29:30.646388
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('category',
    sa.Column('cat_id', sa.Integer(), nullable=False),
    sa.Column('cat_title', sa.String(length=255), nullable=False),
    sa.Column('cat_pages', sa.Integer(), nullable=False),
    sa.Column('cat_subcats', sa.Integer(), nullable=False),
    sa.Column('cat_files', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('cat_id', name=op.f('pk_category')),
    sa.UniqueConstraint('cat_title', name=op.f('uq_category_cat_title'))
    )
    op.create_table('content',
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('content_size', sa.Integer(), nullable=False),
    sa.Column('content_sha1', sa.String(length=32), nullable=False),
    sa.Column('content_model', sa.String(length=32), nullable=False),
    sa.Column('content_text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('content_id', name=op.f('pk_content')),
    sqlite_autoincrement=True
    )
    op.create_table('page',
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('page_namespace', sa.Integer(), nullable=False),
    sa.Column('page_title', sa.String(length=255), nullable=False),
    sa.Column('page_is_redirect', sa.Boolean(), nullable=False),
    sa.Column('page_is_new', sa.Boolean(), nullable=False),
    sa.Column('page_random', sa.Double(), nullable=False),
    sa.Column('page_touched', sa.DateTime(), nullable=False),
    sa.Column('page_links_updated', sa.DateTime(), nullable=True),
    sa.Column('page_latest', sa.Integer(), nullable=False),
    sa.Column('page_len', sa.Integer(), nullable=False),
    sa.Column('page_content_model', sa.String(length=32), nullable=False),
    sa.Column('page_lang', sa.String(length=35), nullable=True),
    sa.PrimaryKeyConstraint('page_id', name=op.f('pk_page')),
    sa.UniqueConstraint('page_namespace', 'page_title', name='uq_page_name_title'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.create_index('ix_page_len', ['page_len'], unique=False)
        batch_op.create_index('ix_page_random', ['page_random'], unique=False)
        batch_op.create_index('ix_page_redirect_namespace_len', ['page_is_redirect', 'page_namespace', 'page_len'], unique=False)

    op.create_table('user',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=255), nullable=False),
    sa.Column('user_real_name', sa.String(length=255), nullable=False),
    sa.Column('user_password', sa.Text(), nullable=False),
    sa.Column('user_email', sa.String(length=255), nullable=False),
    sa.Column('user_email_authenticated', sa.DateTime(), nullable=True),
    sa.Column('user_touched', sa.DateTime(), nullable=False),
    sa.Column('user_token', sa.String(length=64), nullable=False),
    sa.Column('user_registration', sa.DateTime(), nullable=True),
    sa.Column('user_editcount', sa.Integer(), nullable=False),
    sa.Column('user_options', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user')),
    sa.UniqueConstraint('user_name', name=op.f('uq_user_user_name')),
    sqlite_autoincrement=True
    )
    op.create_table('actor',
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_user', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['actor_user'], ['user.user_id'], name=op.f('fk_actor_actor_user_user')),
    sa.PrimaryKeyConstraint('actor_id', name=op.f('pk_actor')),
    sa.UniqueConstraint('actor_name', name=op.f('uq_actor_actor_name')),
    sa.UniqueConstraint('actor_user', name=op.f('uq_actor_actor_user')),
    sqlite_autoincrement=True
    )
    op.create_table('bot_passwords',
    sa.Column('bp_user', sa.Integer(), nullable=False),
    sa.Column('bp_app_id', sa.String(length=32), nullable=False),
    sa.Column('bp_password', sa.Text(), nullable=False),
    sa.Column('bp_token', sa.String(length=32), nullable=False),
    sa.Column('bp_restrictions', sa.Text(), nullable=False),
    sa.Column('bp_grants', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['bp_user'], ['user.user_id'], name=op.f('fk_bot_passwords_bp_user_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bp_user', 'bp_app_id', name=op.f('pk_bot_passwords'))
    )
    op.create_table('categorylinks',
    sa.Column('cl_from', sa.Integer(), nullable=False),
    sa.Column('cl_to', sa.String(length=255), nullable=False),
    sa.Column('cl_sortkey', sa.String(length=255), nullable=False),
    sa.Column('cl_sortkey_prefix', sa.String(length=255), nullable=False),
    sa.Column('cl_timestamp', sa.DateTime(), nullable=False),
    sa.Column('cl_collation', sa.String(length=32), nullable=False),
    sa.Column('cl_type', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['cl_from'], ['page.page_id'], name=op.f('fk_categorylinks_cl_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cl_from', 'cl_to', name=op.f('pk_categorylinks'))
    )
    with op.batch_alter_table('categorylinks', schema=None) as batch_op:
        batch_op.create_index('ix_categorylinks_to_timestamp', ['cl_to', 'cl_timestamp'], unique=False)
        batch_op.create_index('ix_categorylinks_to_type_sortkey', ['cl_to', 'cl_type', 'cl_sortkey', 'cl_from'], unique=False)

    op.create_table('externallinks',
    sa.Column('el_id', sa.Integer(), nullable=False),
    sa.Column('el_from', sa.Integer(), nullable=False),
    sa.Column('el_to', sa.Text(), nullable=False),
    sa.Column('el_index', sa.String(length=767), nullable=False),
    sa.ForeignKeyConstraint(['el_from'], ['page.page_id'], name=op.f('fk_externallinks_el_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('el_id', name=op.f('pk_externallinks'))
    )
    with op.batch_alter_table('externallinks', schema=None) as batch_op:
        batch_op.create_index('ix_externallinks_from', ['el_from'], unique=False)
        batch_op.create_index('ix_externallinks_index', ['el_index'], unique=False)

    op.create_table('imagelinks',
    sa.Column('il_from', sa.Integer(), nullable=False),
    sa.Column('il_to', sa.String(length=255), nullable=False),
    sa.Column('il_from_namespace', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['il_from'], ['page.page_id'], name=op.f('fk_imagelinks_il_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('il_from', 'il_to', name=op.f('pk_imagelinks'))
    )
    with op.batch_alter_table('imagelinks', schema=None) as batch_op:
        batch_op.create_index('ix_imagelinks_to_from', ['il_to', 'il_from'], unique=False)

    op.create_table('iwlinks',
    sa.Column('iwl_from', sa.Integer(), nullable=False),
    sa.Column('iwl_prefix', sa.String(length=32), nullable=False),
    sa.Column('iwl_title', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['iwl_from'], ['page.page_id'], name=op.f('fk_iwlinks_iwl_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('iwl_from', 'iwl_prefix', 'iwl_title', name=op.f('pk_iwlinks'))
    )
    with op.batch_alter_table('iwlinks', schema=None) as batch_op:
        batch_op.create_index('ix_iwlinks_prefix_title_from', ['iwl_prefix', 'iwl_title', 'iwl_from'], unique=False)

    op.create_table('langlinks',
    sa.Column('ll_from', sa.Integer(), nullable=False),
    sa.Column('ll_lang', sa.String(length=35), nullable=False),
    sa.Column('ll_title', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['ll_from'], ['page.page_id'], name=op.f('fk_langlinks_ll_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ll_from', 'll_lang', name=op.f('pk_langlinks'))
    )
    with op.batch_alter_table('langlinks', schema=None) as batch_op:
        batch_op.create_index('ix_langlinks_lang_title', ['ll_lang', 'll_title'], unique=False)

    op.create_table('page_props',
    sa.Column('pp_page', sa.Integer(), nullable=False),
    sa.Column('pp_propname', sa.String(length=60), nullable=False),
    sa.Column('pp_value', sa.Text(), nullable=False),
    sa.Column('pp_sortkey', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['pp_page'], ['page.page_id'], name=op.f('fk_page_props_pp_page_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pp_page', 'pp_propname', name=op.f('pk_page_props'))
    )
    with op.batch_alter_table('page_props', schema=None) as batch_op:
        batch_op.create_index('ix_page_props_propname_page', ['pp_propname', 'pp_page'], unique=False)

    op.create_table('page_restrictions',
    sa.Column('pr_id', sa.Integer(), nullable=False),
    sa.Column('pr_page', sa.Integer(), nullable=False),
    sa.Column('pr_type', sa.String(length=60), nullable=False),
    sa.Column('pr_level', sa.String(length=60), nullable=False),
    sa.Column('pr_cascade', sa.Boolean(), nullable=False),
    sa.Column('pr_expiry', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pr_page'], ['page.page_id'], name=op.f('fk_page_restrictions_pr_page_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pr_id', name=op.f('pk_page_restrictions')),
    sa.UniqueConstraint('pr_page', 'pr_type', name='uq_page_restrictions_page_type')
    )
    op.create_table('pagelinks',
    sa.Column('pl_from', sa.Integer(), nullable=False),
    sa.Column('pl_namespace', sa.Integer(), nullable=False),
    sa.Column('pl_title', sa.String(length=255), nullable=False),
    sa.Column('pl_from_namespace', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pl_from'], ['page.page_id'], name=op.f('fk_pagelinks_pl_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pl_from', 'pl_namespace', 'pl_title', name=op.f('pk_pagelinks'))
    )
    with op.batch_alter_table('pagelinks', schema=None) as batch_op:
        batch_op.create_index('ix_pagelinks_namespace_title_from', ['pl_namespace', 'pl_title', 'pl_from'], unique=False)

    op.create_table('parser_cache',
    sa.Column('pc_key', sa.String(length=255), nullable=False),
    sa.Column('pc_page', sa.Integer(), nullable=False),
    sa.Column('pc_rev', sa.Integer(), nullable=False),
    sa.Column('pc_time', sa.DateTime(), nullable=False),
    sa.Column('pc_value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['pc_page'], ['page.page_id'], name=op.f('fk_parser_cache_pc_page_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pc_key', name=op.f('pk_parser_cache'))
    )
    with op.batch_alter_table('parser_cache', schema=None) as batch_op:
        batch_op.create_index('ix_parser_cache_page', ['pc_page'], unique=False)

    op.create_table('redirect',
    sa.Column('rd_from', sa.Integer(), nullable=False),
    sa.Column('rd_namespace', sa.Integer(), nullable=False),
    sa.Column('rd_title', sa.String(length=255), nullable=False),
    sa.Column('rd_interwiki', sa.String(length=32), nullable=True),
    sa.Column('rd_fragment', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['rd_from'], ['page.page_id'], name=op.f('fk_redirect_rd_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rd_from', name=op.f('pk_redirect'))
    )
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.create_index('ix_redirect_namespace_title', ['rd_namespace', 'rd_title', 'rd_from'], unique=False)

    op.create_table('templatelinks',
    sa.Column('tl_from', sa.Integer(), nullable=False),
    sa.Column('tl_namespace', sa.Integer(), nullable=False),
    sa.Column('tl_title', sa.String(length=255), nullable=False),
    sa.Column('tl_from_namespace', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tl_from'], ['page.page_id'], name=op.f('fk_templatelinks_tl_from_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tl_from', 'tl_namespace', 'tl_title', name=op.f('pk_templatelinks'))
    )
    with op.batch_alter_table('templatelinks', schema=None) as batch_op:
        batch_op.create_index('ix_templatelinks_namespace_title_from', ['tl_namespace', 'tl_title', 'tl_from'], unique=False)

    op.create_table('user_groups',
    sa.Column('ug_user', sa.Integer(), nullable=False),
    sa.Column('ug_group', sa.String(length=255), nullable=False),
    sa.Column('ug_expiry', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['ug_user'], ['user.user_id'], name=op.f('fk_user_groups_ug_user_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ug_user', 'ug_group', name=op.f('pk_user_groups'))
    )
    op.create_table('watchlist',
    sa.Column('wl_id', sa.Integer(), nullable=False),
    sa.Column('wl_user', sa.Integer(), nullable=False),
    sa.Column('wl_namespace', sa.Integer(), nullable=False),
    sa.Column('wl_title', sa.String(length=255), nullable=False),
    sa.Column('wl_notificationtimestamp', sa.DateTime(), nullable=True),
    sa.Column('wl_expiry', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['wl_user'], ['user.user_id'], name=op.f('fk_watchlist_wl_user_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('wl_id', name=op.f('pk_watchlist')),
    sa.UniqueConstraint('wl_user', 'wl_namespace', 'wl_title', name='uq_watchlist_user')
    )
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.create_index('ix_watchlist_namespace_title', ['wl_namespace', 'wl_title'], unique=False)

    op.create_table('archive',
    sa.Column('ar_id', sa.Integer(), nullable=False),
    sa.Column('ar_namespace', sa.Integer(), nullable=False),
    sa.Column('ar_title', sa.String(length=255), nullable=False),
    sa.Column('ar_comment', sa.Text(), nullable=False),
    sa.Column('ar_actor', sa.Integer(), nullable=False),
    sa.Column('ar_timestamp', sa.DateTime(), nullable=False),
    sa.Column('ar_minor_edit', sa.Boolean(), nullable=False),
    sa.Column('ar_rev_id', sa.Integer(), nullable=False),
    sa.Column('ar_deleted', sa.Integer(), nullable=False),
    sa.Column('ar_len', sa.Integer(), nullable=False),
    sa.Column('ar_page_id', sa.Integer(), nullable=True),
    sa.Column('ar_parent_id', sa.Integer(), nullable=True),
    sa.Column('ar_sha1', sa.String(length=32), nullable=False),
    sa.Column('ar_content_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ar_actor'], ['actor.actor_id'], name=op.f('fk_archive_ar_actor_actor')),
    sa.ForeignKeyConstraint(['ar_content_id'], ['content.content_id'], name=op.f('fk_archive_ar_content_id_content')),
    sa.PrimaryKeyConstraint('ar_id', name=op.f('pk_archive')),
    sa.UniqueConstraint('ar_rev_id', name='uq_archive_ar_rev_id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('archive', schema=None) as batch_op:
        batch_op.create_index('ix_archive_name_title_timestamp', ['ar_namespace', 'ar_title', 'ar_timestamp'], unique=False)

    op.create_table('filearchive',
    sa.Column('fa_id', sa.Integer(), nullable=False),
    sa.Column('fa_name', sa.String(length=255), nullable=False),
    sa.Column('fa_archive_name', sa.String(length=255), nullable=True),
    sa.Column('fa_storage_group', sa.String(length=16), nullable=True),
    sa.Column('fa_storage_key', sa.String(length=64), nullable=False),
    sa.Column('fa_deleted_user', sa.Integer(), nullable=True),
    sa.Column('fa_deleted_timestamp', sa.DateTime(), nullable=True),
    sa.Column('fa_deleted_reason', sa.Text(), nullable=False),
    sa.Column('fa_size', sa.Integer(), nullable=False),
    sa.Column('fa_width', sa.Integer(), nullable=False),
    sa.Column('fa_height', sa.Integer(), nullable=False),
    sa.Column('fa_metadata', sa.Text(), nullable=False),
    sa.Column('fa_bits', sa.Integer(), nullable=False),
    sa.Column('fa_media_type', sa.String(length=16), nullable=False),
    sa.Column('fa_major_mime', sa.String(length=16), nullable=False),
    sa.Column('fa_minor_mime', sa.String(length=100), nullable=False),
    sa.Column('fa_description', sa.Text(), nullable=False),
    sa.Column('fa_actor', sa.Integer(), nullable=False),
    sa.Column('fa_timestamp', sa.DateTime(), nullable=True),
    sa.Column('fa_deleted', sa.SmallInteger(), nullable=False),
    sa.Column('fa_sha1', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['fa_actor'], ['actor.actor_id'], name=op.f('fk_filearchive_fa_actor_actor')),
    sa.PrimaryKeyConstraint('fa_id', name=op.f('pk_filearchive'))
    )
    with op.batch_alter_table('filearchive', schema=None) as batch_op:
        batch_op.create_index('ix_filearchive_name_timestamp', ['fa_name', 'fa_timestamp'], unique=False)

    op.create_table('image',
    sa.Column('img_name', sa.String(length=255), nullable=False),
    sa.Column('img_size', sa.Integer(), nullable=False),
    sa.Column('img_width', sa.Integer(), nullable=False),
    sa.Column('img_height', sa.Integer(), nullable=False),
    sa.Column('img_metadata', sa.Text(), nullable=False),
    sa.Column('img_bits', sa.Integer(), nullable=False),
    sa.Column('img_media_type', sa.String(length=16), nullable=False),
    sa.Column('img_major_mime', sa.String(length=16), nullable=False),
    sa.Column('img_minor_mime', sa.String(length=100), nullable=False),
    sa.Column('img_description', sa.Text(), nullable=False),
    sa.Column('img_actor', sa.Integer(), nullable=False),
    sa.Column('img_timestamp', sa.DateTime(), nullable=False),
    sa.Column('img_sha1', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['img_actor'], ['actor.actor_id'], name=op.f('fk_image_img_actor_actor')),
    sa.PrimaryKeyConstraint('img_name', name=op.f('pk_image'))
    )
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.create_index('ix_image_actor_timestamp', ['img_actor', 'img_timestamp'], unique=False)
        batch_op.create_index('ix_image_sha1', ['img_sha1'], unique=False)
        batch_op.create_index('ix_image_timestamp', ['img_timestamp'], unique=False)

    op.create_table('ipblocks',
    sa.Column('ipb_id', sa.Integer(), nullable=False),
    sa.Column('ipb_address', sa.String(length=255), nullable=False),
    sa.Column('ipb_user', sa.Integer(), nullable=True),
    sa.Column('ipb_by_actor', sa.Integer(), nullable=False),
    sa.Column('ipb_reason', sa.Text(), nullable=False),
    sa.Column('ipb_timestamp', sa.DateTime(), nullable=False),
    sa.Column('ipb_anon_only', sa.Boolean(), nullable=False),
    sa.Column('ipb_create_account', sa.Boolean(), nullable=False),
    sa.Column('ipb_allow_usertalk', sa.Boolean(), nullable=False),
    sa.Column('ipb_expiry', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['ipb_by_actor'], ['actor.actor_id'], name=op.f('fk_ipblocks_ipb_by_actor_actor')),
    sa.ForeignKeyConstraint(['ipb_user'], ['user.user_id'], name=op.f('fk_ipblocks_ipb_user_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ipb_id', name=op.f('pk_ipblocks')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('ipblocks', schema=None) as batch_op:
        batch_op.create_index('ix_ipblocks_address', ['ipb_address'], unique=False)
        batch_op.create_index('ix_ipblocks_user', ['ipb_user'], unique=False)

    op.create_table('logging',
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('log_type', sa.String(length=32), nullable=False),
    sa.Column('log_action', sa.String(length=32), nullable=False),
    sa.Column('log_timestamp', sa.DateTime(), nullable=False),
    sa.Column('log_actor', sa.Integer(), nullable=False),
    sa.Column('log_namespace', sa.Integer(), nullable=False),
    sa.Column('log_title', sa.String(length=255), nullable=False),
    sa.Column('log_page', sa.Integer(), nullable=True),
    sa.Column('log_comment', sa.Text(), nullable=False),
    sa.Column('log_params', sa.Text(), nullable=False),
    sa.Column('log_deleted', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['log_actor'], ['actor.actor_id'], name=op.f('fk_logging_log_actor_actor')),
    sa.PrimaryKeyConstraint('log_id', name=op.f('pk_logging')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('logging', schema=None) as batch_op:
        batch_op.create_index('ix_logging_actor_timestamp', ['log_actor', 'log_timestamp'], unique=False)
        batch_op.create_index('ix_logging_namespace_title_timestamp', ['log_namespace', 'log_title', 'log_timestamp'], unique=False)
        batch_op.create_index('ix_logging_timestamp', ['log_timestamp'], unique=False)
        batch_op.create_index('ix_logging_type_timestamp', ['log_type', 'log_timestamp'], unique=False)

    op.create_table('oldimage',
    sa.Column('oi_id', sa.Integer(), nullable=False),
    sa.Column('oi_name', sa.String(length=255), nullable=False),
    sa.Column('oi_archive_name', sa.String(length=255), nullable=False),
    sa.Column('oi_size', sa.Integer(), nullable=False),
    sa.Column('oi_width', sa.Integer(), nullable=False),
    sa.Column('oi_height', sa.Integer(), nullable=False),
    sa.Column('oi_bits', sa.Integer(), nullable=False),
    sa.Column('oi_description', sa.Text(), nullable=False),
    sa.Column('oi_actor', sa.Integer(), nullable=False),
    sa.Column('oi_timestamp', sa.DateTime(), nullable=False),
    sa.Column('oi_metadata', sa.Text(), nullable=False),
    sa.Column('oi_media_type', sa.String(length=16), nullable=False),
    sa.Column('oi_major_mime', sa.String(length=16), nullable=False),
    sa.Column('oi_minor_mime', sa.String(length=100), nullable=False),
    sa.Column('oi_deleted', sa.SmallInteger(), nullable=False),
    sa.Column('oi_sha1', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['oi_actor'], ['actor.actor_id'], name=op.f('fk_oldimage_oi_actor_actor')),
    sa.PrimaryKeyConstraint('oi_id', name=op.f('pk_oldimage'))
    )
    with op.batch_alter_table('oldimage', schema=None) as batch_op:
        batch_op.create_index('ix_oldimage_name_timestamp', ['oi_name', 'oi_timestamp'], unique=False)

    op.create_table('protected_titles',
    sa.Column('pt_id', sa.Integer(), nullable=False),
    sa.Column('pt_namespace', sa.Integer(), nullable=False),
    sa.Column('pt_title', sa.String(length=255), nullable=False),
    sa.Column('pt_user', sa.Integer(), nullable=False),
    sa.Column('pt_reason', sa.Text(), nullable=False),
    sa.Column('pt_timestamp', sa.DateTime(), nullable=False),
    sa.Column('pt_expiry', sa.DateTime(), nullable=True),
    sa.Column('pt_create_perm', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['pt_user'], ['actor.actor_id'], name=op.f('fk_protected_titles_pt_user_actor')),
    sa.PrimaryKeyConstraint('pt_id', name=op.f('pk_protected_titles')),
    sa.UniqueConstraint('pt_namespace', 'pt_title', name='uq_protected_titles_name')
    )
    op.create_table('recentchanges',
    sa.Column('rc_id', sa.Integer(), nullable=False),
    sa.Column('rc_timestamp', sa.DateTime(), nullable=False),
    sa.Column('rc_actor', sa.Integer(), nullable=False),
    sa.Column('rc_namespace', sa.Integer(), nullable=False),
    sa.Column('rc_title', sa.String(length=255), nullable=False),
    sa.Column('rc_comment', sa.Text(), nullable=False),
    sa.Column('rc_minor', sa.Boolean(), nullable=False),
    sa.Column('rc_bot', sa.Boolean(), nullable=False),
    sa.Column('rc_new', sa.Boolean(), nullable=False),
    sa.Column('rc_cur_id', sa.Integer(), nullable=True),
    sa.Column('rc_this_oldid', sa.Integer(), nullable=False),
    sa.Column('rc_last_oldid', sa.Integer(), nullable=False),
    sa.Column('rc_type', sa.SmallInteger(), nullable=False),
    sa.Column('rc_source', sa.String(length=16), nullable=False),
    sa.Column('rc_patrolled', sa.SmallInteger(), nullable=False),
    sa.Column('rc_ip', sa.String(length=40), nullable=False),
    sa.Column('rc_old_len', sa.Integer(), nullable=True),
    sa.Column('rc_new_len', sa.Integer(), nullable=True),
    sa.Column('rc_deleted', sa.SmallInteger(), nullable=False),
    sa.Column('rc_logid', sa.Integer(), nullable=False),
    sa.Column('rc_log_type', sa.String(length=32), nullable=True),
    sa.Column('rc_log_action', sa.String(length=32), nullable=True),
    sa.Column('rc_params', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['rc_actor'], ['actor.actor_id'], name=op.f('fk_recentchanges_rc_actor_actor')),
    sa.PrimaryKeyConstraint('rc_id', name=op.f('pk_recentchanges')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('recentchanges', schema=None) as batch_op:
        batch_op.create_index('ix_recentchanges_actor_timestamp', ['rc_actor', 'rc_timestamp'], unique=False)
        batch_op.create_index('ix_recentchanges_namespace_title_timestamp', ['rc_namespace', 'rc_title', 'rc_timestamp'], unique=False)
        batch_op.create_index('ix_recentchanges_this_oldid', ['rc_this_oldid'], unique=False)
        batch_op.create_index('ix_recentchanges_timestamp', ['rc_timestamp'], unique=False)

    op.create_table('revision',
    sa.Column('rev_id', sa.Integer(), nullable=False),
    sa.Column('rev_page', sa.Integer(), nullable=False),
    sa.Column('rev_parent_id', sa.Integer(), nullable=True),
    sa.Column('rev_timestamp', sa.DateTime(), nullable=False),
    sa.Column('rev_actor', sa.Integer(), nullable=False),
    sa.Column('rev_comment', sa.Text(), nullable=False),
    sa.Column('rev_minor_edit', sa.Boolean(), nullable=False),
    sa.Column('rev_deleted', sa.Integer(), nullable=False),
    sa.Column('rev_len', sa.Integer(), nullable=False),
    sa.Column('rev_sha1', sa.String(length=32), nullable=False),
    sa.Column('rev_content_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rev_actor'], ['actor.actor_id'], name=op.f('fk_revision_rev_actor_actor')),
    sa.ForeignKeyConstraint(['rev_content_id'], ['content.content_id'], name=op.f('fk_revision_rev_content_id_content')),
    sa.ForeignKeyConstraint(['rev_page'], ['page.page_id'], name=op.f('fk_revision_rev_page_page')),
    sa.PrimaryKeyConstraint('rev_id', name=op.f('pk_revision')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index('ix_revision_actor_timestamp', ['rev_actor', 'rev_timestamp'], unique=False)
        batch_op.create_index('ix_revision_page_timestamp', ['rev_page', 'rev_timestamp'], unique=False)
        batch_op.create_index('ix_revision_timestamp', ['rev_timestamp'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index('ix_revision_timestamp')
        batch_op.drop_index('ix_revision_page_timestamp')
        batch_op.drop_index('ix_revision_actor_timestamp')

    op.drop_table('revision')
    with op.batch_alter_table('recentchanges', schema=None) as batch_op:
        batch_op.drop_index('ix_recentchanges_timestamp')
        batch_op.drop_index('ix_recentchanges_this_oldid')
        batch_op.drop_index('ix_recentchanges_namespace_title_timestamp')
        batch_op.drop_index('ix_recentchanges_actor_timestamp')

    op.drop_table('recentchanges')
    op.drop_table('protected_titles')
    with op.batch_alter_table('oldimage', schema=None) as batch_op:
        batch_op.drop_index('ix_oldimage_name_timestamp')

    op.drop_table('oldimage')
    with op.batch_alter_table('logging', schema=None) as batch_op:
        batch_op.drop_index('ix_logging_type_timestamp')
        batch_op.drop_index('ix_logging_timestamp')
        batch_op.drop_index('ix_logging_namespace_title_timestamp')
        batch_op.drop_index('ix_logging_actor_timestamp')

    op.drop_table('logging')
    with op.batch_alter_table('ipblocks', schema=None) as batch_op:
        batch_op.drop_index('ix_ipblocks_user')
        batch_op.drop_index('ix_ipblocks_address')

    op.drop_table('ipblocks')
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_index('ix_image_timestamp')
        batch_op.drop_index('ix_image_sha1')
        batch_op.drop_index('ix_image_actor_timestamp')

    op.drop_table('image')
    with op.batch_alter_table('filearchive', schema=None) as batch_op:
        batch_op.drop_index('ix_filearchive_name_timestamp')

    op.drop_table('filearchive')
    with op.batch_alter_table('archive', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_name_title_timestamp')

    op.drop_table('archive')
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.drop_index('ix_watchlist_namespace_title')

    op.drop_table('watchlist')
    op.drop_table('user_groups')
    with op.batch_alter_table('templatelinks', schema=None) as batch_op:
        batch_op.drop_index('ix_templatelinks_namespace_title_from')

    op.drop_table('templatelinks')
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.drop_index('ix_redirect_namespace_title')

    op.drop_table('redirect')
    with op.batch_alter_table('parser_cache', schema=None) as batch_op:
        batch_op.drop_index('ix_parser_cache_page')

    op.drop_table('parser_cache')
    with op.batch_alter_table('pagelinks', schema=None) as batch_op:
        batch_op.drop_index('ix_pagelinks_namespace_title_from')

    op.drop_table('pagelinks')
    op.drop_table('page_restrictions')
    with op.batch_alter_table('page_props', schema=None) as batch_op:
        batch_op.drop_index('ix_page_props_propname_page')

    op.drop_table('page_props')
    with op.batch_alter_table('langlinks', schema=None) as batch_op:
        batch_op.drop_index('ix_langlinks_lang_title')

    op.drop_table('langlinks')
    with op.batch_alter_table('iwlinks', schema=None) as batch_op:
        batch_op.drop_index('ix_iwlinks_prefix_title_from')

    op.drop_table('iwlinks')
    with op.batch_alter_table('imagelinks', schema=None) as batch_op:
        batch_op.drop_index('ix_imagelinks_to_from')

    op.drop_table('imagelinks')
    with op.batch_alter_table('externallinks', schema=None) as batch_op:
        batch_op.drop_index('ix_externallinks_index')
        batch_op.drop_index('ix_externallinks_from')

    op.drop_table('externallinks')
    with op.batch_alter_table('categorylinks', schema=None) as batch_op:
        batch_op.drop_index('ix_categorylinks_to_type_sortkey')
        batch_op.drop_index('ix_categorylinks_to_timestamp')

    op.drop_table('categorylinks')
    op.drop_table('bot_passwords')
    op.drop_table('actor')
    op.drop_table('user')
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.drop_index('ix_page_redirect_namespace_len')
        batch_op.drop_index('ix_page_random')
        batch_op.drop_index('ix_page_len')

    op.drop_table('page')
    op.drop_table('content')
    op.drop_table('category')
