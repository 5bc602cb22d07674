package dashboard

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/webhook"
)

// webhookInput is a new subscription, from the API (JSON) or the admin
// page (form; sites separated by commas, spaces or new lines).
type webhookInput struct {
	Name     string   `json:"name"`
	URL      string   `json:"url"`
	Sites    []string `json:"sites"`
	MinScore float64  `json:"min_score"`
}

// createWebhook stores a subscription with a fresh secret and audits it
// (without the secret). Its sites must be known (Options.Sites); a host
// name is stored as the site ID it stands for.
func (s *server) createWebhook(r *http.Request, in webhookInput) (store.Subscription, error) {
	if !s.opts.WebhookAllowPrivate {
		if err := webhook.CheckURL(in.URL); errors.Is(err, webhook.ErrPrivateAddress) {
			return store.Subscription{}, err
		}
	}
	known, err := s.knownSites(r.Context())
	if err != nil {
		return store.Subscription{}, err
	}
	sites, err := known.resolve(in.Sites)
	if err != nil {
		return store.Subscription{}, err
	}
	secret, err := auth.NewSecret()
	if err != nil {
		return store.Subscription{}, err
	}
	sub, err := s.db.Webhooks().CreateSubscription(r.Context(), store.Subscription{Name: in.Name, URL: in.URL,
		Sites: sites, MinScore: in.MinScore, Secret: "whsec_" + secret})
	if err != nil {
		return store.Subscription{}, err
	}
	s.audit(r, "webhook_create", nil, sub)
	return sub, nil
}

// setWebhookDisabled disables or enables a subscription and audits it.
func (s *server) setWebhookDisabled(r *http.Request, id int64, disabled bool) (store.Subscription, error) {
	before, err := s.db.Webhooks().Subscription(r.Context(), id)
	if err != nil {
		return store.Subscription{}, err
	}
	if err := s.db.Webhooks().SetSubscriptionDisabled(r.Context(), id, disabled); err != nil {
		return store.Subscription{}, err
	}
	after := before
	after.Disabled = disabled
	s.audit(r, "webhook_update", before, after)
	return after, nil
}

func webhookErrCode(err error) int {
	switch {
	case errors.Is(err, webhook.ErrPrivateAddress):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrBadSubscription):
		return http.StatusUnprocessableEntity
	case errors.Is(err, store.ErrSubscriptionExists):
		return http.StatusConflict
	case errors.Is(err, store.ErrNoSubscription):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

func webhookErrMsg(err error) string {
	if webhookErrCode(err) == http.StatusInternalServerError {
		return "could not save the subscription"
	}
	if errors.Is(err, webhook.ErrPrivateAddress) {
		return strings.TrimPrefix(err.Error(), "webhook: ") + ": lure does not deliver to its own network (see --webhook-allow-private)"
	}
	return strings.TrimPrefix(err.Error(), "store: ")
}

// handleAPIWebhooks is GET /api/v1/webhooks: every subscription (never
// its secret).
func (s *server) handleAPIWebhooks(w http.ResponseWriter, r *http.Request) {
	subs, err := s.db.Webhooks().Subscriptions(r.Context())
	if err != nil {
		s.log.Error("dashboard: webhooks", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the subscriptions")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": subs})
}

// handleAPICreateWebhook is POST /api/v1/webhooks; the answer carries the
// secret, which is not shown again.
func (s *server) handleAPICreateWebhook(w http.ResponseWriter, r *http.Request) {
	var in webhookInput
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	sub, err := s.createWebhook(r, in)
	if err != nil {
		if webhookErrCode(err) == http.StatusInternalServerError {
			s.log.Error("dashboard: create webhook", "err", err)
		}
		writeJSONError(w, webhookErrCode(err), webhookErrMsg(err))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"subscription": sub, "secret": sub.Secret})
}

// handleAPIUpdateWebhook is POST /api/v1/webhooks/{id} {"disabled": bool}.
func (s *server) handleAPIUpdateWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, "no such subscription")
		return
	}
	var in struct {
		Disabled *bool `json:"disabled"`
	}
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.Disabled == nil {
		writeJSONError(w, http.StatusBadRequest, "disabled (true or false) is required")
		return
	}
	sub, err := s.setWebhookDisabled(r, id, *in.Disabled)
	if err != nil {
		writeJSONError(w, webhookErrCode(err), webhookErrMsg(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscription": sub})
}

// handleAPIDeliveries is GET /api/v1/webhooks/deliveries: the delivery
// log, newest first; subscription, status and limit filter it.
func (s *server) handleAPIDeliveries(w http.ResponseWriter, r *http.Request) {
	f, err := deliveryFilter(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	ds, err := s.db.Webhooks().Deliveries(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: deliveries", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the deliveries")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
}

func deliveryFilter(r *http.Request) (store.DeliveryFilter, error) {
	var f store.DeliveryFilter
	sub, err := intParam(r, "subscription", 0, 0, 1<<31)
	if err != nil {
		return f, err
	}
	limit, err := intParam(r, "limit", 50, 1, 500)
	if err != nil {
		return f, err
	}
	f.SubscriptionID, f.Limit = int64(sub), limit
	switch st := r.URL.Query().Get("status"); st {
	case "", store.DeliveryPending, store.DeliveryDelivered, store.DeliveryFailed:
		f.Status = st
	default:
		return f, errors.New("status must be pending, delivered or failed")
	}
	return f, nil
}

// webhooksData is what the admin page shows.
type webhooksData struct {
	Subscriptions []store.Subscription
	Deliveries    []store.Delivery
	Message       string
	NewSecret     string
	NewName       string
	Form          webhookInput
	FormSites     string
	// SitesHint lists the sites a subscription may cover; SitesExample
	// is the first two site IDs, for the form's placeholder.
	SitesHint    string
	SitesExample string
}

func (s *server) renderWebhooks(w http.ResponseWriter, r *http.Request, code int, d webhooksData) {
	var err error
	var known siteSet
	if d.Subscriptions, err = s.db.Webhooks().Subscriptions(r.Context()); err == nil {
		d.Deliveries, err = s.db.Webhooks().Deliveries(r.Context(), store.DeliveryFilter{Limit: 50})
	}
	if err == nil {
		known, err = s.knownSites(r.Context())
	}
	if err != nil {
		s.log.Error("dashboard: webhooks page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the webhook subscriptions.")
		return
	}
	names := known.list()
	d.SitesHint, d.SitesExample = known.describe(), strings.Join(names[:min(2, len(names))], ", ")
	s.render(w, r, code, "webhooks", view{Title: "Webhooks", Nav: "webhooks", Data: d})
}

// handleWebhooks is the admin page: subscriptions and recent deliveries.
func (s *server) handleWebhooks(w http.ResponseWriter, r *http.Request) {
	s.renderWebhooks(w, r, http.StatusOK, webhooksData{})
}

// handleCreateWebhook creates a subscription from the page's form and
// shows its secret once.
func (s *server) handleCreateWebhook(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	in := webhookInput{Name: strings.TrimSpace(r.PostFormValue("name")), URL: strings.TrimSpace(r.PostFormValue("url")),
		Sites: strings.FieldsFunc(r.PostFormValue("sites"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' })}
	d := webhooksData{Form: in, FormSites: r.PostFormValue("sites")}
	if raw := strings.TrimSpace(r.PostFormValue("min_score")); raw != "" {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			d.Message = "Minimum score must be a number from 0 to 100."
			s.renderWebhooks(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		in.MinScore, d.Form.MinScore = f, f
	}
	sub, err := s.createWebhook(r, in)
	if err != nil {
		code := webhookErrCode(err)
		if code == http.StatusInternalServerError {
			s.log.Error("dashboard: create webhook", "err", err)
		}
		d.Message = "Not created: " + webhookErrMsg(err) + "."
		s.renderWebhooks(w, r, code, d)
		return
	}
	s.renderWebhooks(w, r, http.StatusOK, webhooksData{Message: "Subscription " + sub.Name + " created.",
		NewSecret: sub.Secret, NewName: sub.Name})
}

// handleUpdateWebhook disables or enables a subscription from the page.
func (s *server) handleUpdateWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "No such subscription.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	var disabled bool
	switch r.PostFormValue("action") {
	case "disable":
		disabled = true
	case "enable":
	default:
		s.renderError(w, r, http.StatusBadRequest, "Unknown action.")
		return
	}
	if _, err := s.setWebhookDisabled(r, id, disabled); err != nil {
		code := webhookErrCode(err)
		if code == http.StatusInternalServerError {
			s.log.Error("dashboard: update webhook", "err", err)
		}
		s.renderError(w, r, code, "Could not update the subscription.")
		return
	}
	http.Redirect(w, r, "/admin/webhooks", http.StatusSeeOther)
}
