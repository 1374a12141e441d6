/* Draws every div.CategoryTreeTag: its category's members from the Action API
   (list=categorymembers), subcategories unfolding on click (wikiengine's CategoryTree). */
(function () {
  'use strict';
  var TYPES = { categories: 'subcat', pages: 'subcat|page', all: 'subcat|page|file' };

  function pageUrl(tag, title) {
    var path = tag.getAttribute('data-ct-article-path') || '/wiki/$1';
    return path.replace('$1', encodeURIComponent(title.replace(/ /g, '_')).replace(/%2F/g, '/').replace(/%3A/g, ':'));
  }

  function load(tag, category, box, depth) {
    var url = tag.getAttribute('data-ct-api') + '?action=query&format=json&formatversion=2' +
      '&list=categorymembers&cmlimit=200&cmprop=title|type&cmtype=' +
      encodeURIComponent(TYPES[tag.getAttribute('data-ct-mode')] || 'subcat') +
      '&cmtitle=' + encodeURIComponent('Category:' + category);
    fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.json(); })
      .then(function (data) {
        var members = (data.query && data.query.categorymembers) || [];
        box.textContent = '';
        if (!members.length) {
          var empty = document.createElement('i');
          empty.className = 'CategoryTreeNotice';
          empty.textContent = tag.getAttribute('data-ct-empty');
          box.appendChild(empty);
          return;
        }
        members.forEach(function (m) { box.appendChild(item(tag, m, depth)); });
      })
      .catch(function () { box.textContent = ''; });
  }

  function item(tag, m, depth) {
    var div = document.createElement('div');
    div.className = 'CategoryTreeItem';
    var bullet = document.createElement('span');
    bullet.className = 'CategoryTreeBullet';
    var link = document.createElement('a');
    link.href = pageUrl(tag, m.title);
    link.textContent = m.type === 'subcat' ? m.title.replace(/^[^:]*:/, '') : m.title;
    div.appendChild(bullet);
    div.appendChild(document.createTextNode(' '));
    div.appendChild(link);
    if (m.type !== 'subcat') {
      bullet.textContent = '–';
      return div;
    }
    var children = document.createElement('div');
    children.className = 'CategoryTreeChildren';
    children.style.marginLeft = '1.5em';
    div.appendChild(children);
    var name = m.title.replace(/^[^:]*:/, '');
    var open = false;
    function toggle() {
      open = !open;
      bullet.textContent = open ? '▼' : '►';
      children.style.display = open ? '' : 'none';
      if (open && !children.hasChildNodes()) { load(tag, name, children, depth - 1); }
    }
    bullet.textContent = '►';
    bullet.style.cursor = 'pointer';
    bullet.setAttribute('role', 'button');
    bullet.tabIndex = 0;
    bullet.addEventListener('click', toggle);
    bullet.addEventListener('keydown', function (e) { if (e.key === 'Enter') { toggle(); } });
    if (depth > 1) { toggle(); }
    return div;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.CategoryTreeTag'), function (tag) {
      var box = tag.querySelector('.CategoryTreeChildren');
      var depth = parseInt(tag.getAttribute('data-ct-depth'), 10) || 0;
      if (box && depth > 0) { load(tag, tag.getAttribute('data-ct-category'), box, depth); }
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
