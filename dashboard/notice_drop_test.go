package dashboard

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
)

func TestUnconfirmedAdBlocksSendingUntilDropped(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	n := draftAll(t, f)["rabota.example"] // ru1 and evil
	id := strconv.FormatInt(n.ID, 10)
	if _, err := f.store.Apply(context.Background(), store.Change{AdIDs: []string{"ru1"}, Actor: "analyst2",
		Status: store.StatusFalsePositive, Note: "a real agency after all"}); err != nil {
		t.Fatal(err)
	}

	code, page := f.call(t, "GET", "/notices/"+id, "", auth.Analyst)
	for _, want := range []string{"This draft cannot be sent:", `action="/notices/` + id + `/items/ru1/drop"`,
		"no longer confirmed: False positive", "is now <strong>False positive</strong>", `disabled title="some ads are no longer confirmed"`} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("notice page = %d, lacks %q", code, want)
		}
	}
	if strings.Contains(page, `/items/evil/drop"`) {
		t.Error("notice page offers to drop a confirmed ad")
	}
	var d notice.Document
	f.getJSON(t, "/api/v1/notices/"+id, 200, &d)
	if !slices.Equal(d.Unconfirmed, []string{"ru1"}) || len(d.Items) != 2 {
		t.Fatalf("api unconfirmed = %v, items %d", d.Unconfirmed, len(d.Items))
	}
	for _, it := range d.Items {
		if it.Confirmed != (it.AdID == "evil") || it.ReviewStatus == "" {
			t.Errorf("api item %s: confirmed %v, review status %q", it.AdID, it.Confirmed, it.ReviewStatus)
		}
	}

	sends := []struct{ name, path, body string }{
		{"page", "/notices/" + id + "/transition", "status=sent"},
		{"api", "/api/v1/notices/" + id + "/transition", `{"status":"sent"}`},
	}
	for _, s := range sends {
		t.Run("send refused from "+s.name, func(t *testing.T) {
			code, body := f.call(t, "POST", s.path, s.body, auth.Analyst)
			if code != http.StatusConflict || !strings.Contains(body, "no longer confirmed: ru1") {
				t.Errorf("send = %d %.300s, want 409 naming ru1", code, body)
			}
		})
	}

	if code, body := f.call(t, "POST", "/notices/"+id+"/items/ru1/drop", "x=1", auth.Viewer); code != http.StatusForbidden {
		t.Fatalf("viewer drop = %d %.200s, want 403", code, body)
	}
	if code, _ := f.call(t, "POST", "/api/v1/notices/"+id+"/items/ru1/drop", "", auth.Viewer); code != http.StatusForbidden {
		t.Fatalf("viewer api drop = %d, want 403", code)
	}
	if code, body := f.call(t, "POST", "/notices/"+id+"/items/ru1/drop", "x=1", auth.Analyst); code != 200 || strings.Contains(body, "This draft cannot be sent") {
		t.Fatalf("drop (redirect followed) = %d, page still warns: %v", code, strings.Contains(body, "This draft cannot be sent"))
	}
	if code, body := f.call(t, "POST", "/api/v1/notices/"+id+"/items/ru1/drop", "", auth.Analyst); code != http.StatusNotFound {
		t.Errorf("second drop = %d %.200s, want 404", code, body)
	}
	d = notice.Document{}
	f.getJSON(t, "/api/v1/notices/"+id, 200, &d)
	h := d.History[len(d.History)-1]
	if len(d.Items) != 1 || d.Items[0].AdID != "evil" || d.Unconfirmed != nil || !strings.Contains(h.Note, "dropped ad ru1") {
		t.Errorf("after drop: items %+v, unconfirmed %v, last event %+v", d.Items, d.Unconfirmed, h)
	}
	if code, body := f.call(t, "POST", "/api/v1/notices/"+id+"/transition", `{"status":"sent"}`, auth.Analyst); code != 200 {
		t.Fatalf("send after drop = %d %.300s", code, body)
	}
	if code, body := f.call(t, "POST", "/api/v1/notices/"+id+"/items/evil/drop", "", auth.Analyst); code != http.StatusConflict ||
		!strings.Contains(body, "only a draft") {
		t.Errorf("drop from a sent notice = %d %.200s, want 409", code, body)
	}
	es, _, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "notice_drop_item"})
	if err != nil || len(es) != 1 || es[0].AdID != "ru1" || es[0].Actor != "token:analyst-token" {
		t.Errorf("audit = %+v (%v), want one drop of ru1", es, err)
	}
}

func TestDropLastAdWithdrawsNotice(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	n := draftAll(t, f)["locuri.example"] // ro1 only
	var d notice.Document
	code, body := f.call(t, "POST", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10)+"/items/ro1/drop", "", auth.Analyst)
	if code != 200 || !strings.Contains(body, `"status":"withdrawn"`) {
		t.Fatalf("drop last = %d %.300s, want the notice withdrawn", code, body)
	}
	f.getJSON(t, "/api/v1/notices/"+strconv.FormatInt(n.ID, 10), 200, &d)
	if d.ItemCount != 0 || len(d.Next) != 0 {
		t.Errorf("withdrawn notice = %+v", d)
	}
}
