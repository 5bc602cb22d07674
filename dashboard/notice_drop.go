package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lurewatch/lure/notice"
)

// maxAdIDLen bounds the ad ID of a drop route; real IDs are far shorter.
const maxAdIDLen = 200

// dropItem drops an ad from a draft notice; code and msg describe a
// refusal.
func (s *server) dropItem(r *http.Request) (n notice.Notice, code int, msg string) {
	id, err := parseNoticeID(r.PathValue("id"))
	if err != nil {
		return n, http.StatusNotFound, "no such notice: " + err.Error()
	}
	adID := r.PathValue("adID")
	if adID == "" || len(adID) > maxAdIDLen {
		return n, http.StatusNotFound, "no such ad in the notice"
	}
	n, err = notice.DropItem(r.Context(), s.notices(), notice.Drop{ID: id, AdID: adID, Actor: who(r).Name})
	switch {
	case err == nil:
		return n, http.StatusOK, ""
	case errors.Is(err, notice.ErrNotFound):
		return n, http.StatusNotFound, "no notice with this ID"
	case errors.Is(err, notice.ErrItemNotFound):
		return n, http.StatusNotFound, "no such ad in the notice"
	case errors.Is(err, notice.ErrNotDraft):
		return n, http.StatusConflict, "only a draft's ads can be dropped"
	}
	s.log.Error("dashboard: notice drop item", "id", id, "err", err)
	return n, http.StatusInternalServerError, "could not drop the ad"
}

// handleNoticeDropItem: POST /notices/{id}/items/{adID}/drop, the button
// beside an ad that is no longer confirmed.
func (s *server) handleNoticeDropItem(w http.ResponseWriter, r *http.Request) {
	n, code, msg := s.dropItem(r)
	if code != http.StatusOK {
		s.renderError(w, r, code, "Cannot drop the ad: "+msg+".")
		return
	}
	http.Redirect(w, r, "/notices/"+url.PathEscape(strconv.FormatInt(n.ID, 10))+"#history", http.StatusSeeOther)
}

// handleAPINoticeDropItem: POST /api/v1/notices/{id}/items/{adID}/drop
// answers the notice as GET /api/v1/notices/{id} does.
func (s *server) handleAPINoticeDropItem(w http.ResponseWriter, r *http.Request) {
	n, code, msg := s.dropItem(r)
	if code != http.StatusOK {
		writeJSONError(w, code, msg)
		return
	}
	writeJSON(w, http.StatusOK, s.noticeDoc(n))
}
