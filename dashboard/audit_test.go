package dashboard

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lurewatch/lure/store"
)

// TestAuditPageOffersEveryAction checks that the audit page's action
// filter offers every action of store.AuditActions and keeps the chosen
// one selected.
func TestAuditPageOffersEveryAction(t *testing.T) {
	f := newFixture(t, Options{})
	f.as = store.RoleAdmin
	resp, body := f.get(t, "/audit?action=notice_withdrawn")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /audit = %d", resp.StatusCode)
	}
	for _, a := range store.AuditActions {
		if !strings.Contains(body, `<option value="`+a+`"`) {
			t.Errorf("the action filter does not offer %q", a)
		}
	}
	if !strings.Contains(body, `<option value="notice_withdrawn" selected>`) {
		t.Error("the chosen action is not selected")
	}
}
