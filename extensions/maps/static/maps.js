/* Draws every div.maps-leaflet of the page with Leaflet (wikiengine's Maps extension).
   The map's data is in data-mw-maps-mapdata: markers [{lat, lon, title, text}], zoom,
   center, tiles (URL template), attribution. Without JavaScript the list of markers stays. */
(function () {
  'use strict';
  function draw(el) {
    var data;
    try { data = JSON.parse(el.getAttribute('data-mw-maps-mapdata')); } catch (e) { return; }
    if (!window.L) { return; }
    el.innerHTML = '';
    var map = L.map(el);
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    var points = [];
    (data.markers || []).forEach(function (m) {
      var marker = L.marker([m.lat, m.lon]).addTo(map);
      var popup = '';
      if (m.title) { var b = document.createElement('b'); b.textContent = m.title; popup += b.outerHTML; }
      if (m.text) { popup += (popup ? '<br>' : '') + m.text; }
      if (popup) { marker.bindPopup(popup); }
      points.push([m.lat, m.lon]);
    });
    if (data.center) {
      map.setView(data.center, data.zoom === null ? 13 : data.zoom);
    } else if (points.length > 1) {
      map.fitBounds(points, { padding: [20, 20] });
      if (data.zoom !== null) { map.setZoom(data.zoom); }
    } else if (points.length === 1) {
      map.setView(points[0], data.zoom === null ? 14 : data.zoom);
    } else {
      map.setView([48.39, -4.49], data.zoom === null ? 12 : data.zoom);
    }
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.maps-leaflet'), draw);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
