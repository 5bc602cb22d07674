package dashboard

import (
	"context"

	"github.com/lurewatch/lure/store"
)

// PartnerStore is what the dashboard reads of the indicators partner
// organisations shared (lure indicators import). *store.Store implements
// it; a Store without it shows no partners.
type PartnerStore interface {
	KnownTo(ctx context.Context, adID string) ([]store.KnownPartner, error)
	ClusterKnownTo(ctx context.Context, cluster string) ([]store.KnownPartner, error)
}

var _ PartnerStore = (*store.Store)(nil)

// knownTo returns the partners that know an ad; nil when none or when the
// store keeps no partner indicators.
func (s *server) knownTo(ctx context.Context, adID string) []store.KnownPartner {
	ps, ok := s.db.(PartnerStore)
	if !ok {
		return nil
	}
	ks, err := ps.KnownTo(ctx, adID)
	if err != nil {
		s.log.Error("dashboard: known to", "err", err)
	}
	return ks
}

// clusterKnownTo returns the partners that know an ad of a network.
func (s *server) clusterKnownTo(ctx context.Context, cluster string) []store.KnownPartner {
	ps, ok := s.db.(PartnerStore)
	if !ok {
		return nil
	}
	ks, err := ps.ClusterKnownTo(ctx, cluster)
	if err != nil {
		s.log.Error("dashboard: cluster known to", "err", err)
	}
	return ks
}
