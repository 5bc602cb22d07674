package dashboard

import (
	"net/http"

	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
)

// handleAPINotices: GET /api/v1/notices?status=&site=&overdue=&limit=&offset=.
func (s *server) handleAPINotices(w http.ResponseWriter, r *http.Request) {
	f, _, err := s.noticeFilter(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	if f.Limit, f.Offset, err = pageParams(r, store.DefaultLimit, store.MaxLimit, 1_000_000); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	ns, total, err := s.notices().List(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: api notices", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the notices")
		return
	}
	type apiNotice struct {
		notice.Notice
		Overdue bool `json:"overdue"`
	}
	out := make([]apiNotice, len(ns))
	now, o := s.now(), s.noticeOpts()
	for i, n := range ns {
		out[i] = apiNotice{n, n.Overdue(now, o.Period())}
	}
	stats, err := s.notices().TimeToRemoval(r.Context())
	if err != nil {
		s.log.Error("dashboard: api time to removal", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the notices")
		return
	}
	if stats == nil {
		stats = []store.RemovalStats{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": out, "total": total, "time_to_removal": stats})
}

// handleAPIDraftNotices: POST /api/v1/notices drafts notices from
// confirmed ads; the body, if any, must be an empty JSON object.
func (s *server) handleAPIDraftNotices(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength != 0 {
		var in struct{}
		if err := decodeBody(w, r, &in); err != nil {
			writeJSONError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	ns, err := s.draft(r)
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "could not draft notices")
		return
	}
	if ns == nil {
		ns = []notice.Notice{}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"notices": ns})
}

func (s *server) handleAPINotice(w http.ResponseWriter, r *http.Request) {
	n, ok := s.noticeFromPath(w, r, true)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.noticeDoc(n))
}

// handleAPINoticeTransition: POST /api/v1/notices/{id}/transition
// {"status": "sent", "note": "…"}.
func (s *server) handleAPINoticeTransition(w http.ResponseWriter, r *http.Request) {
	id, err := parseNoticeID(r.PathValue("id"))
	if err != nil {
		writeJSONError(w, http.StatusNotFound, "no such notice: "+err.Error())
		return
	}
	var in transitionInput
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	n, code, msg := s.transition(r, id, in)
	if code != http.StatusOK {
		writeJSONError(w, code, msg)
		return
	}
	writeJSON(w, http.StatusOK, s.noticeDoc(n))
}
