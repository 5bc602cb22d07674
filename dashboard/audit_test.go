package dashboard

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
)

// TestAuditPageOffersEveryAction checks that the audit page's action
// filter offers every action of store.AuditActions and keeps the chosen
// one selected.
func TestAuditPageOffersEveryAction(t *testing.T) {
	f := newFixture(t, Options{})
	f.as = auth.Admin
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

// TestAuditPageNamesTheNotice checks that the audit log shows which
// notice (linked, with its platform's site) each notice entry is about,
// and the notice's status in words.
func TestAuditPageNamesTheNotice(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	n := draftAll(t, f)["locuri.example"]
	id := strconv.FormatInt(n.ID, 10)
	if code, body := f.call(t, "POST", "/api/v1/notices/"+id+"/transition", `{"status":"sent","note":"via form"}`, auth.Analyst); code != 200 {
		t.Fatalf("send = %d %s", code, body)
	}
	if code, _ := f.call(t, "GET", "/notices/"+id+".csv", "", auth.Analyst); code != 200 {
		t.Fatalf("export = %d", code)
	}
	f.as = auth.Admin
	for _, action := range []string{"notice_draft", "notice_sent", "notice_export"} {
		resp, body := f.get(t, "/audit?action="+action)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /audit = %d", resp.StatusCode)
		}
		want := `<a href="/notices/` + id + `">notice #` + id + `</a> to locuri.example`
		if !strings.Contains(body, want) {
			t.Errorf("%s row does not name the notice: want %s", action, want)
		}
	}
	_, body := f.get(t, "/audit?action=notice_sent")
	if !strings.Contains(body, `<td class="muted">draft</td><td>sent · note: “via form”</td>`) {
		t.Errorf("notice_sent row does not show the statuses")
	}
}

// TestAdPageAuditNamesTheNotice checks that the ad page's history names
// the notice an ad was dropped from.
func TestAdPageAuditNamesTheNotice(t *testing.T) {
	f := noticeFixture(t, notice.Options{}, nil)
	n := draftAll(t, f)["locuri.example"]
	id := strconv.FormatInt(n.ID, 10)
	if _, err := f.store.Apply(context.Background(), store.Change{AdIDs: []string{"ro1"}, Actor: "analyst1", Status: store.StatusNeedsInfo}); err != nil {
		t.Fatal(err)
	}
	if code, body := f.call(t, "POST", "/api/v1/notices/"+id+"/items/ro1/drop", "", auth.Analyst); code != 200 {
		t.Fatalf("drop = %d %s", code, body)
	}
	_, body := f.get(t, "/ads/ro1")
	if !strings.Contains(body, "notice_drop_item: <span class=\"muted\">notice #"+id+" to locuri.example · ") {
		t.Errorf("the ad page's history does not name notice %s", id)
	}
}
