package dashboard

// clusterRouteLabels are the route labels of lure_dashboard_requests_total
// that clusterRoutes uses.
var clusterRouteLabels = []string{}

func (s *server) clusterRoutes(rs routeSet) {}
