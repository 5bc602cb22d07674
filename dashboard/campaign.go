package dashboard

// campaignRouteLabels are the route labels of lure_dashboard_requests_total
// that campaignRoutes uses.
var campaignRouteLabels = []string{}

func (s *server) campaignRoutes(rs routeSet) {}
