package store

// AuditActions lists every action the audit log records, grouped by
// subject: review decisions, accounts and tokens, exports, takedown
// notices, webhook subscriptions, recruiter networks, shared indicators. The audit page offers them as its action
// filter; a test checks that every action written anywhere in the tree is
// listed here, so add a new action to this list when you audit it.
var AuditActions = []string{
	// Reviews of ads.
	"decide", "assign",
	// A decision for a whole recruiter network (each ad also gets its own
	// "decide" entry).
	"cluster_review",
	// Accounts, sessions and API tokens (dashboard and lure users).
	"user_create", "user_update", "user_passwd", "user_disable", "user_enable",
	"token_create", "token_revoke", "logout_all",
	// Exports.
	"export_labels",
	// Takedown notices: drafting, each lifecycle step, reopening after an
	// ad reappears, exports, dropping an ad from a draft.
	"notice_draft", "notice_sent", "notice_acknowledged", "notice_removed", "notice_rejected", "notice_withdrawn",
	"notice_reopen", "notice_export", "notice_drop_item",
	// Webhook subscriptions of the screening API.
	"webhook_create", "webhook_update",
	// Retention: a purge run (counts only) and the erasure of a contact
	// (a hash of it, never the contact).
	"retention_purge", "erase_contact",
	// Indicators shared with partner organisations (STIX 2.1 or MISP).
	"indicators_export", "indicators_import",
}
