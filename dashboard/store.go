package dashboard

import (
	"context"
	"io"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// Store is what the dashboard uses of the system of record: reading ads,
// reviews and statistics, recording decisions and the audit log, and the
// accounts, notices and webhooks tables through their own types. It
// writes no verdicts. *store.Store implements it.
type Store interface {
	Get(ctx context.Context, id string) (ad.Verdict, error)
	List(ctx context.Context, f store.Filter) ([]ad.Verdict, int, error)
	Summaries(ctx context.Context, f store.Filter) ([]store.Summary, int, error)
	Related(ctx context.Context, id string, limit int) ([]store.Related, error)
	Sites(ctx context.Context) ([]string, error)
	Stats(ctx context.Context) (store.Stats, error)
	QueueFacets(ctx context.Context) (map[string][]store.Facet, error)

	Reviews(ctx context.Context, ids []string) (map[string]store.Review, error)
	Apply(ctx context.Context, c store.Change) ([]store.Review, error)
	ExportLabels(ctx context.Context, w io.Writer) (int, error)
	Audit(ctx context.Context, actor, action string, before, after any) error
	AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, int, error)

	SavedSearches(ctx context.Context, userID int64) ([]store.SavedSearch, error)
	SaveSearch(ctx context.Context, userID int64, name, query string) error
	DeleteSavedSearch(ctx context.Context, userID, id int64) error

	Campaign(ctx context.Context, p store.Period) (store.Campaign, error)
	Aim(ctx context.Context, p store.Period, o store.AimOptions) (store.Aim, error)
	LatestCampaignDay(ctx context.Context) (time.Time, error)

	Accounts() *store.Accounts
	Notices() *store.Notices
	Webhooks() *store.Webhooks
}

var _ Store = (*store.Store)(nil)
