#!/usr/bin/python3
"""Build geodata/sahel.gpkg, the default data set of sahelmap.

Inputs (all local, nothing is fetched):
  * /usr/share/qgis/resources/data/world_map.gpkg   (Debian qgis-common; Natural Earth 1:10m, generalised)
  * /usr/share/iso-codes/json/iso_3166-2.json and the Arabic iso_3166-1 catalogue (Debian iso-codes)
  * <reference>/sites.csv, corridors.csv, timeline.csv, bfa-provinces.csv (project reference tables)
  * geodata/places.csv (hand-written gazetteer, see SOURCES.md)

Run with Debian's interpreter (python3-gdal / python3-pyproj live there):
  /usr/bin/python3 geodata/build.py [--ref DIR] [--out FILE]

The output is deterministic: features are written in a fixed order, coordinates come straight from the
sources (air routes are rounded to 1e-7 degrees) and the GeoPackage timestamps are pinned
(OGR_CURRENT_DATE), so re-running gives a byte-identical file with the same GDAL/SQLite versions.
Any failed check raises and the script exits non-zero without replacing the output.
"""

import argparse
import csv
import datetime
import gettext
import glob
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

from osgeo import gdal, ogr, osr
import pyproj

ogr.UseExceptions()
osr.UseExceptions()
gdal.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD_MAP = '/usr/share/qgis/resources/data/world_map.gpkg'
ISO_3166_2 = '/usr/share/iso-codes/json/iso_3166-2.json'
LOCALE_DIR = '/usr/share/locale'

# Default view of the map: lon -18..25, lat 3..34.
VIEW_BBOX = (-18.0, 3.0, 25.0, 34.0)
AES = ('BFA', 'MLI', 'NER')
REQUIRED = AES + ('DZA', 'LBY', 'TCD', 'NGA', 'BEN', 'TGO', 'GHA', 'CIV', 'GIN', 'SEN', 'MRT')
# ECOWAS members after the AES exit took effect (2025-01-29). Guinea is suspended but still a member.
ECOWAS = ('BEN', 'CPV', 'CIV', 'GMB', 'GHA', 'GIN', 'GNB', 'LBR', 'NGA', 'SEN', 'SLE', 'TGO')

# Natural Earth adm0_a3 codes that are not ISO 3166-1 alpha-3 (used when ISO_A3 is '-99').
NE_ADM0_TO_ISO3 = {'SDS': 'SSD', 'SAH': 'ESH', 'KOS': 'XKX', 'PSX': 'PSE', 'SOL': 'SOM', 'CYN': 'CYP'}

# Display names (world_map's NAME is abbreviated: "Central African Rep.", "W. Sahara", ...).
COUNTRY_NAMES = {
    'BEN': 'Benin', 'BFA': 'Burkina Faso', 'CAF': 'Central African Republic', 'CIV': "Côte d'Ivoire",
    'CMR': 'Cameroon', 'COD': 'DR Congo', 'COG': 'Republic of the Congo', 'DZA': 'Algeria',
    'EGY': 'Egypt', 'ESH': 'Western Sahara', 'ESP': 'Spain', 'GHA': 'Ghana', 'GIN': 'Guinea',
    'GMB': 'The Gambia', 'GNB': 'Guinea-Bissau', 'GNQ': 'Equatorial Guinea', 'LBR': 'Liberia',
    'LBY': 'Libya', 'MAR': 'Morocco', 'MLI': 'Mali', 'MRT': 'Mauritania', 'NER': 'Niger',
    'NGA': 'Nigeria', 'PRT': 'Portugal', 'SDN': 'Sudan', 'SEN': 'Senegal', 'SLE': 'Sierra Leone',
    'SSD': 'South Sudan', 'TCD': 'Chad', 'TGO': 'Togo', 'TUN': 'Tunisia',
}

# Natural Earth admin-1 names that differ from the ISO 3166-2 name beyond accents/case/spaces.
ADM1_ALIASES = {'timbuktu': 'tombouctou', 'komoe': 'comoe'}

# The reference tables' vocabulary (shared/reference/README.md). A value outside it stops the build,
# naming the file, row and column: nothing of the record is dropped or changed silently.
SITE_KINDS = ('airbase', 'logistics_hub', 'command_post', 'forward_base', 'port', 'town', 'former_western_base')
STATUSES = ('active', 'reinforcing', 'planned', 'withdrawn')
CONFIDENCES = ('high', 'medium', 'low')
MODES = ('road', 'air', 'sea_road')
YES_NO = ('yes', 'no')
SITE_COUNTRIES = ('MLI', 'NER', 'BFA', 'LBY', 'GIN')
TIMELINE_COUNTRIES = ('MLI', 'BFA', 'NER', 'GIN', 'RUS', 'SYR', 'TUR', 'LBY', 'UKR', 'CHN', 'FRA', 'TCD', 'TGO',
                      'DZA', 'USA', 'SEN', 'CIV')
# Actor codes and the words people read for them (legends, pop-ups, labels, QGIS categories).
ACTOR_NAMES = {
    'russia_africa_corps': 'Africa Corps (Russia)', 'wagner': 'Wagner Group', 'russia_redut': 'Redut "Bear" brigade',
    'russia_state': 'Russian state', 'syrian_auxiliaries': 'Syrian fighters (Turkish-recruited)',
    'sadat_turkey': 'SADAT (Turkey)', 'turkey': 'Turkish state', 'france': 'France', 'united_states': 'United States',
    'germany': 'Germany', 'italy': 'Italy (MISIN)', 'united_nations': 'UN missions', 'china': 'China',
    'algeria': 'Algeria', 'aes': 'Alliance of Sahel States', 'ecowas': 'ECOWAS', 'local_forces': 'local forces',
    'jnim': 'JNIM', 'is_sahel': 'Islamic State Sahel', 'csp_rebels': 'CSP / FLA rebels',
}
SITE_ACTORS = ('russia_africa_corps', 'wagner', 'russia_redut', 'syrian_auxiliaries', 'france', 'united_states',
               'germany', 'italy', 'local_forces')
# Short actor words for the map label of a site ("Gao · Africa Corps").
ACTOR_SHORT = {'russia_africa_corps': 'Africa Corps', 'wagner': 'Wagner', 'russia_redut': 'Bear brigade',
               'syrian_auxiliaries': 'Syrians', 'france': 'France', 'united_states': 'US', 'germany': 'Germany',
               'italy': 'Italy', 'local_forces': 'local forces'}

# Dated political geography (timeline.csv): the Liptako-Gourma charter founds the Alliance of Sahel States,
# the treaty of Niamey makes it a confederation, and the three states' ECOWAS exit takes effect.
AES_CHARTER = (2023, 9, 16)
AES_CONFEDERATION = (2024, 7, 6)
ECOWAS_EXIT = (2025, 1, 29)
# Burkina Faso's 17-region layout is in force from the decree of 2025-07-02; the 13 regions until then.
BFA_LAYOUT_2025 = (2025, 7, 2)

# Road segments allowed to cross a country none of their two waypoints lies in. Each entry needs a reason;
# the build prints it. None today: the one known case (the uranium road through Nigeria) is bent instead.
ACCEPTED_CROSSINGS = {}
# Segments bent along a border, because the straight line between gazetteer waypoints leaves the country the
# road never leaves (reference README, "Known issue"): (corridor id, from, to) -> (country kept, reason).
BENT_SEGMENTS = {
    ('cor_road_arlit_niamey_uranium', "Birni N'Konni", 'Dosso'):
        ('NER', "the straight Birni N'Konni-Dosso segment crosses Nigeria, which the convoy never entered; "
                'no gazetteer point on RN1 between them could be confirmed, so the drawn line follows the '
                'Niger side of the border there'),
}

AREA_TOL = 1e-9     # square degrees
LEN_TOL = 1e-9      # degrees
AIR_STEP_M = 25000.0
TMP_OUT = ''


def log(*a):
    print(*a, flush=True)


class CheckFailed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CheckFailed(msg)


def norm(s):
    """Key for robust name matching: no accents, no case, no spaces/punctuation."""
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return re.sub(r'[^a-z0-9]', '', s.lower())


# ---------------------------------------------------------------- geometry helpers

def rings_of(geom):
    """All rings of a (Multi)Polygon as lists of (x, y) tuples, in storage order."""
    out = []
    gt = ogr.GT_Flatten(geom.GetGeometryType())
    polys = [geom.GetGeometryRef(i) for i in range(geom.GetGeometryCount())] \
        if gt == ogr.wkbMultiPolygon else [geom]
    for p in polys:
        for r in range(p.GetGeometryCount()):
            out.append([pt[:2] for pt in p.GetGeometryRef(r).GetPoints()])
    return out


def edge_key(p, q):
    return (p, q) if p <= q else (q, p)


def edges_of(geom):
    return [edge_key(r[i], r[i + 1]) for r in rings_of(geom) for i in range(len(r) - 1)]


def as_multipolygon(geom):
    geom = geom.Clone()
    if ogr.GT_Flatten(geom.GetGeometryType()) == ogr.wkbPolygon:
        geom = ogr.ForceToMultiPolygon(geom)
    check(ogr.GT_Flatten(geom.GetGeometryType()) == ogr.wkbMultiPolygon, 'not a (multi)polygon')
    return geom


def check_polygon(geom, what):
    check(geom.IsValid(), f'{what}: invalid polygon')
    for r in rings_of(geom):
        check(len(r) >= 4 and r[0] == r[-1], f'{what}: ring not closed')


def parse_date(s, where='date'):
    """YYYY-MM-DD as a (y, m, d) tuple, None when empty; a malformed or impossible date stops the build."""
    s = (s or '').strip()
    if not s:
        return None
    m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', s)
    check(m is not None, f'{where}: {s!r} is not a date (YYYY-MM-DD)')
    y, mo, d = (int(x) for x in m.groups())
    try:
        datetime.date(y, mo, d)
    except ValueError:
        check(False, f'{where}: {s!r} is not a calendar date')
    return (y, mo, d)


def one_of(value, allowed, where):
    check(value in allowed, f'{where}: {value!r} is not one of {", ".join(allowed)}')
    return value


def validate_record_row(table, line, row, columns):
    """Checks one row of sites.csv or corridors.csv against the README's vocabulary and rules."""
    rid = row.get('id', '?')
    at = lambda col: f'{table} line {line} (id {rid}): column {col}'
    for col, allowed in columns.items():
        check(col in row and row[col] is not None, f'{table} line {line} (id {rid}): column {col} is missing')
        if allowed is not None:
            one_of(row[col], allowed, at(col))
    vf = parse_date(row['valid_from'], at('valid_from'))
    vt = parse_date(row['valid_to'], at('valid_to'))
    check(vf is None or vt is None or vf < vt, f'{table} line {line} (id {rid}): valid_from {row["valid_from"]} is '
          f'not before valid_to {row["valid_to"]}')
    check(row['source'].strip() != '', f'{table} line {line} (id {rid}): column source is empty')
    return vf, vt


def validate_sites(rows):
    cols = {'id': None, 'name': None, 'country_iso3': SITE_COUNTRIES, 'kind': SITE_KINDS, 'actor': SITE_ACTORS,
            'status': STATUSES, 'confidence': CONFIDENCES, 'seed_mention': YES_NO, 'in_model': YES_NO,
            'strength': ('1', '2', '3', '4', '5'), 'source': None, 'valid_from': None, 'valid_to': None}
    for line, r in enumerate(rows, start=2):
        _, vt = validate_record_row('sites.csv', line, r, cols)
        at = f'sites.csv line {line} (id {r["id"]})'
        check((r['status'] == 'withdrawn') == (vt is not None),
              f'{at}: status {r["status"]} with valid_to {r["valid_to"] or "empty"} (a withdrawn row has a valid_to, '
              'no other row does)')
        check(r['kind'] != 'former_western_base' or r['status'] == 'withdrawn',
              f'{at}: kind former_western_base is only for withdrawn rows')
        try:
            lat, lon = float(r['lat']), float(r['lon'])
        except ValueError:
            check(False, f'{at}: lat/lon {r["lat"]!r},{r["lon"]!r} are not numbers')
        check(0 <= lat <= 35 and -20 <= lon <= 30, f'{at}: lat/lon {lat},{lon} outside lon -20..30, lat 0..35')


def validate_corridors(rows):
    cols = {'id': None, 'name': None, 'mode': MODES, 'actor': SITE_ACTORS, 'confidence': CONFIDENCES,
            'seed_mention': YES_NO, 'schematic': YES_NO, 'waypoints': None, 'source': None,
            'valid_from': None, 'valid_to': None}
    for line, r in enumerate(rows, start=2):
        validate_record_row('corridors.csv', line, r, cols)
        check(r['id'].startswith('cor_'), f'corridors.csv line {line}: id {r["id"]!r} does not start with cor_')


def validate_timeline(rows):
    for line, e in enumerate(rows, start=2):
        at = f'timeline.csv line {line} ({e["event"][:40]!r})'
        check(parse_date(e['date'], f'{at}: column date') is not None, f'{at}: column date is empty')
        for c in filter(None, e['countries'].split(';')):
            one_of(c.strip(), TIMELINE_COUNTRIES, f'{at}: column countries')
        for a in filter(None, e['actors'].split(';')):
            one_of(a.strip(), tuple(ACTOR_NAMES), f'{at}: column actors')


def read_csv(path):
    with open(path, newline='', encoding='utf-8') as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- sources

def iso3_of(feat):
    for field in ('ISO_A3', 'WB_A3'):
        v = feat[field]
        if v and re.fullmatch(r'[A-Z]{3}', v):
            return v
    name = feat['NAME']
    raise CheckFailed(f'no ISO3 for world_map country {name!r}')


def arabic_country_names():
    """Arabic names from Debian iso-codes (ISO 3166-1 English name -> Arabic translation)."""
    data = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json', encoding='utf-8'))['3166-1']
    tr = gettext.translation('iso_3166-1', localedir=LOCALE_DIR, languages=['ar'])
    out = {}
    for c in data:
        ar = tr.gettext(c['name'])
        if ar == c['name']:
            continue
        # iso-codes inverts some names ("Congo, The Democratic Republic of the"): keep the natural order
        if '،' in ar:
            ar = ar.split('،', 1)[1].strip()
        out[c['alpha_3']] = ar
    return out


def load_countries(wm):
    lyr = wm.GetLayer('countries')
    bbox = ogr.CreateGeometryFromWkt('POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))'.format(*VIEW_BBOX))
    lyr.SetSpatialFilter(bbox)
    out = {}
    for f in lyr:
        g = f.GetGeometryRef()
        if g is None or not g.Intersects(bbox):
            continue
        iso3 = iso3_of(f)
        check(iso3 not in out, f'duplicate country {iso3}')
        out[iso3] = as_multipolygon(g)
    lyr.SetSpatialFilter(None)
    for iso3 in REQUIRED:
        check(iso3 in out, f'required country {iso3} missing from world_map')
    for iso3 in out:
        check(iso3 in COUNTRY_NAMES, f'no display name for {iso3}; add it to COUNTRY_NAMES')
    return out


def load_iso_subdivisions():
    data = json.load(open(ISO_3166_2, encoding='utf-8'))['3166-2']
    return data


def rebuild_western_sahara(countries):
    """world_map's admin-0 layer was dissolved from Natural Earth *admin-1*, where Morocco's provinces include
    the Moroccan-administered part of Western Sahara and 'W. Sahara' is only the strip east of the berm.
    Natural Earth admin-0 (and the UN) show Western Sahara as the whole territory south of ~27 deg 40' N.
    Move everything of MAR south of the territory's northern edge to ESH. The cut follows the existing
    ESH/MAR edge (-8.682,27.661)-(-8.818,27.659) and continues due west from its western vertex to the sea,
    so the only new vertex is on the Atlantic coast; shared vertices are checked later."""
    esh, mar = countries['ESH'], countries['MAR']
    corner = None
    for ring in rings_of(esh):
        for p, q in zip(ring, ring[1:]):
            if abs(p[1] - 27.66) < 0.02 and abs(q[1] - 27.66) < 0.02 and min(p[0], q[0]) < -8.7:
                corner = min(p, q)        # western end of the northern edge of the east-of-berm strip
    check(corner is not None, 'Western Sahara: northern edge of the east-of-berm strip not found')
    east = max((v for r in rings_of(esh) for v in r if abs(v[1] - 27.66) < 0.02), key=lambda v: v[0])
    y = corner[1]
    south = ogr.CreateGeometryFromWkt(
        f'POLYGON((-25 {y!r},{corner[0]!r} {y!r},{east[0]!r} {east[1]!r},{east[0]!r} 15,-25 15,-25 {y!r}))')
    moved = mar.Intersection(south)
    new_mar = as_multipolygon(mar.Difference(south))
    new_esh = as_multipolygon(esh.Union(moved))
    check(abs(new_mar.GetArea() + new_esh.GetArea() - mar.GetArea() - esh.GetArea()) < AREA_TOL,
          'Western Sahara rebuild changed the total area')
    log(f'  Western Sahara rebuilt as the whole territory: {moved.GetArea():.3f} deg2 moved from MAR to ESH '
        f'(cut along lat {y:.4f} west of {corner[0]:.4f})')
    countries['MAR'], countries['ESH'] = new_mar, new_esh


def load_regions(wm, ref_dir):
    subs = load_iso_subdivisions()
    bfa_regions = {s['code'].split('-')[1]: s['name'] for s in subs
                   if s['code'].startswith('BF-') and s['type'] == 'Region'}
    prov_csv = read_csv(os.path.join(ref_dir, 'bfa-provinces.csv'))
    prov_region = {}
    for r in prov_csv:
        k = norm(r['province'])
        check(k not in prov_region, f'bfa-provinces.csv: duplicate province {r["province"]}')
        check(r.get('region_2025', '').strip() != '', f'bfa-provinces.csv: province {r["province"]} has no region_2025')
        prov_region[k] = (r['region'].strip(), r['region_2025'].strip())

    lyr = wm.GetLayer('states_provinces')
    regions = []
    used_csv = set()
    for iso3 in AES:
        a2 = {'MLI': 'ML', 'BFA': 'BF', 'NER': 'NE'}[iso3]
        types = ('Province',) if iso3 == 'BFA' else ('Region', 'District', 'Urban community')
        cand = {}
        for s in subs:
            if s['code'].startswith(a2 + '-') and s['type'] in types:
                cand[norm(s['name'])] = s
        lyr.SetAttributeFilter(f"adm0_a3 = '{iso3}'")
        for f in lyr:
            ne_name = f['name']
            k = ADM1_ALIASES.get(norm(ne_name), norm(ne_name))
            check(k in cand, f'{iso3}: Natural Earth admin-1 {ne_name!r} has no ISO 3166-2 match')
            s = cand[k]
            region = None
            if iso3 == 'BFA':
                keys = [x for x in (norm(ne_name), k, norm(s['name'])) if x in prov_region]
                check(keys, f'BFA province {ne_name!r} not found in bfa-provinces.csv')
                region, region_2025 = prov_region[keys[0]]
                used_csv.add(keys[0])
                iso_region = bfa_regions.get(s.get('parent', ''))
                check(not iso_region or norm(iso_region) == norm(region),
                      f'bfa-provinces.csv: province {s["name"]} is in region {region!r}, ISO 3166-2 says {iso_region!r}')
            else:
                region_2025 = None
            regions.append({'iso3': iso3, 'name': s['name'], 'code': s['code'], 'region': region,
                            'region_2025': region_2025, 'ne_name': ne_name,
                            'geom': as_multipolygon(f.GetGeometryRef())})
        lyr.SetAttributeFilter(None)
    # every BFA province gets a region, every CSV row is used
    bfa = [r for r in regions if r['iso3'] == 'BFA']
    check(all(r['region'] for r in bfa), 'a BFA province has no region')
    check(used_csv == set(prov_region), f'bfa-provinces.csv rows unused: {sorted(set(prov_region) - used_csv)}')
    codes = Counter(r['code'] for r in regions)
    check(all(n == 1 for n in codes.values()), f'duplicate admin-1 codes: {codes.most_common(3)}')
    regions.sort(key=lambda r: (r['iso3'], r['code']))
    return regions


def slug(name):
    n = unicodedata.normalize('NFKD', name)
    return re.sub(r'[^A-Z0-9]', '', ''.join(c for c in n if not unicodedata.combining(c)).upper())


def dissolve_bfa(provinces, key, subs):
    """Burkina Faso's regions as unions of its province polygons, grouped on `key` ('region': the 13 regions of
    2001-2025, ISO 3166-2 codes BF-01..13; 'region_2025': the 17 regions decreed on 2025-07-02, which have no
    ISO codes yet and get BF-2025-<NAME>)."""
    iso = {norm(x['name']): x['code'] for x in subs if x['code'].startswith('BF-') and x['type'] == 'Region'}
    groups = defaultdict(list)
    for p in provinces:
        groups[p[key]].append(p)
    out = []
    for name in sorted(groups, key=norm):
        members = groups[name]
        geom = members[0]['geom'].Clone()
        for m in members[1:]:
            geom = geom.Union(m['geom'])
        if key == 'region':
            check(norm(name) in iso, f'bfa-provinces.csv: region {name!r} has no ISO 3166-2 code')
            code = iso[norm(name)]
        else:
            code = 'BF-2025-' + slug(name)
        out.append({'iso3': 'BFA', 'name': name, 'code': code, 'geom': as_multipolygon(geom),
                    'provinces': sorted(m['name'] for m in members)})
    return out


# ---------------------------------------------------------------- verification

def verify_regions_vs_country(iso3, country, regs):
    """Region mosaic of one country vs its polygon: area, vertices, edges. Returns a summary dict."""
    union = None
    rverts = set()
    redges = Counter()
    for r in regs:
        g = r['geom']
        union = g.Clone() if union is None else union.Union(g)
        for ring in rings_of(g):
            rverts.update(ring)
        redges.update(edges_of(g))
    symdiff = union.SymDifference(country).GetArea()
    cverts = set(v for ring in rings_of(country) for v in ring)
    cedges = Counter(edges_of(country))
    missing_in_regions = cverts - rverts
    boundary = country.GetBoundary()
    extra_on_boundary = []
    for v in sorted(rverts - cverts):
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(*v)
        if boundary.Distance(pt) < LEN_TOL:
            extra_on_boundary.append(v)
    outer = {e for e, n in redges.items() if n == 1}
    over = [e for e, n in redges.items() if n > 2]
    res = {
        'symdiff_area': symdiff,
        'country_vertices': len(cverts),
        'region_vertices': len(rverts),
        'country_vertices_not_in_regions': len(missing_in_regions),
        'region_vertices_on_border_not_in_country': len(extra_on_boundary),
        'country_edges': len(cedges),
        'region_outer_edges': len(outer),
        'edge_sets_equal': outer == set(cedges),
        'edges_in_3plus_regions': len(over),
        'dup_country_edges': sum(1 for n in cedges.values() if n > 1),
    }
    res['ok'] = (symdiff < AREA_TOL and not missing_in_regions and not extra_on_boundary
                 and res['edge_sets_equal'] and not over and res['dup_country_edges'] == 0)
    return res, union


def build_borders(countries):
    """Shared edges between two countries' rings, chained into lines along the first country's rings."""
    owners = defaultdict(list)
    for iso3 in sorted(countries):
        for e in edges_of(countries[iso3]):
            owners[e].append(iso3)
    bad = {e: o for e, o in owners.items() if len(o) > 2 or (len(o) == 2 and o[0] == o[1])}
    check(not bad, f'{len(bad)} edges shared by >2 rings or twice by one country, e.g. {next(iter(bad.items())) if bad else None}')
    pair_of = {e: tuple(sorted(o)) for e, o in owners.items() if len(o) == 2}

    lines = defaultdict(list)
    for a in sorted(countries):
        for ring in rings_of(countries[a]):
            n = len(ring) - 1
            tags = []
            for i in range(n):
                p = pair_of.get(edge_key(ring[i], ring[i + 1]))
                tags.append(p if p and p[0] == a else None)
            if not any(tags):
                continue
            if all(t == tags[0] for t in tags):          # whole ring shared with one neighbour
                lines[tags[0]].append(list(ring))
                continue
            # rotate so that the ring starts at a tag change, then cut into maximal runs
            start = next(i for i in range(n) if tags[i] != tags[i - 1])
            order = list(range(start, n)) + list(range(0, start))
            run, run_tag = [], None
            for i in order:
                t = tags[i]
                if t != run_tag:
                    if run_tag is not None:
                        lines[run_tag].append(run)
                    run, run_tag = ([ring[i]] if t else []), t
                if t:
                    run.append(ring[i + 1])
            if run_tag is not None:
                lines[run_tag].append(run)
    return lines, len(pair_of)


def verify_borders(countries, lines):
    """Every touching pair's common boundary must be made of shared edges; no overlaps."""
    isos = sorted(countries)
    problems = []
    touching = 0
    for i, a in enumerate(isos):
        ga = countries[a]
        for b in isos[i + 1:]:
            gb = countries[b]
            if not ga.Intersects(gb):
                check((a, b) not in lines, f'border {a}-{b} between non-touching countries')
                continue
            inter = ga.Intersection(gb)
            dim = inter.GetDimension()
            if dim == 2 or (dim == -1 and inter.GetArea() > AREA_TOL):
                problems.append(f'{a}-{b} overlap area {inter.GetArea():.3g}')
                continue
            ilen = inter.Length() if dim >= 1 else 0.0
            if ilen <= LEN_TOL:
                continue   # touch at a point only
            touching += 1
            blen = sum(ogr.CreateGeometryFromWkt(
                'LINESTRING(' + ','.join(f'{x!r} {y!r}' for x, y in ln) + ')').Length()
                for ln in lines.get((a, b), []))
            if abs(blen - ilen) > 1e-6 * max(1.0, ilen):
                problems.append(f'{a}-{b}: shared-edge length {blen:.6f} != boundary intersection {ilen:.6f}')
    return touching, problems


# ---------------------------------------------------------------- output helpers

def srs4326():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


FT = {'str': ogr.OFTString, 'int': ogr.OFTInteger, 'date': ogr.OFTDate, 'real': ogr.OFTReal}


def make_layer(ds, name, gtype, fields, description):
    opts = ['SPATIAL_INDEX=YES', f'DESCRIPTION={description}'] if gtype != ogr.wkbNone else [f'DESCRIPTION={description}']
    lyr = ds.CreateLayer(name, srs=srs4326() if gtype != ogr.wkbNone else None, geom_type=gtype, options=opts)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, FT[ftype]))
    return lyr


def add_feature(lyr, values, geom=None):
    f = ogr.Feature(lyr.GetLayerDefn())
    for k, v in values.items():
        if v is None or v == '':
            f.SetFieldNull(k)
        elif isinstance(v, tuple):
            f.SetField(k, v[0], v[1], v[2], 0, 0, 0, 0)
        else:
            f.SetField(k, v)
    if geom is not None:
        f.SetGeometry(geom)
    lyr.CreateFeature(f)


def linestring(coords):
    g = ogr.Geometry(ogr.wkbLineString)
    for x, y in coords:
        g.AddPoint_2D(x, y)
    return g


def point(lon, lat):
    g = ogr.Geometry(ogr.wkbPoint)
    g.AddPoint_2D(lon, lat)
    return g


def parse_waypoints(text):
    pts = []
    for item in text.split(';'):
        name, _, ll = item.strip().rpartition('@')
        lat, lon = (float(x) for x in ll.split(','))
        check(-90 <= lat <= 90 and -180 <= lon <= 180, f'bad waypoint {item!r}')
        pts.append((name, lon, lat))
    check(len(pts) >= 2, f'corridor with <2 waypoints: {text!r}')
    return pts


def air_path(pts, geod):
    coords = [(pts[0][1], pts[0][2])]
    for (_, lon1, lat1), (_, lon2, lat2) in zip(pts, pts[1:]):
        _, _, dist = geod.inv(lon1, lat1, lon2, lat2)
        nseg = max(1, math.ceil(dist / AIR_STEP_M))
        mid = geod.npts(lon1, lat1, lon2, lat2, nseg - 1) if nseg > 1 else []
        coords += [(round(x, 7), round(y, 7)) for x, y in mid]
        coords.append((lon2, lat2))
    return coords


def country_at(countries, lon, lat):
    """The country holding a waypoint; a coastal point just off the generalised coastline gets the nearest."""
    pt = point(lon, lat)
    for iso3 in sorted(countries):
        if countries[iso3].Contains(pt):
            return iso3
    iso3 = min(sorted(countries), key=lambda c: countries[c].Distance(pt))
    check(countries[iso3].Distance(pt) < 0.1, f'waypoint {lon},{lat} lies in no country')
    return iso3


def path_along(border_runs, p1, p2):
    """The vertices of the border run that holds p1 and p2, from p1 to p2 (both points on the run)."""
    best = None
    for run in border_runs:
        line = linestring(run)
        d = line.Distance(point(*p1)) + line.Distance(point(*p2))
        if best is None or d < best[0]:
            best = (d, run)
    check(best is not None and best[0] < 1e-7, 'bent segment: entry and exit are not on one border run')
    run = best[1]

    def position(p):
        seg = min(range(len(run) - 1), key=lambda i: linestring(run[i:i + 2]).Distance(point(*p)))
        a, b = run[seg], run[seg + 1]
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        t = math.hypot(p[0] - a[0], p[1] - a[1]) / length if length else 0.0
        return seg + t, seg
    (t1, s1), (t2, s2) = position(p1), position(p2)
    if t1 <= t2:
        inner = run[s1 + 1:s2 + 1]
    else:
        inner = list(reversed(run[s2 + 1:s1 + 1]))
    return [p1] + inner + [p2]


def route_coords(cor, pts, countries, borders):
    """A road corridor's drawn line: straight segments between its waypoints, each of which may cross only the
    countries its two waypoints lie in. A listed segment (BENT_SEGMENTS) is bent along the border instead of
    crossing; a listed acceptance (ACCEPTED_CROSSINGS) is printed with its reason; any other crossing stops the
    build. Returns the coordinates and the notes on bent segments."""
    coords = [(pts[0][1], pts[0][2])]
    notes = []
    for (na, lon1, lat1), (nb, lon2, lat2) in zip(pts, pts[1:]):
        own = {country_at(countries, lon1, lat1), country_at(countries, lon2, lat2)}
        seg = linestring([(lon1, lat1), (lon2, lat2)])
        crossed = sorted(c for c in countries if c not in own and seg.Intersection(countries[c]).Length() > 1e-6)
        key = (cor['id'], na, nb)
        if not crossed:
            coords.append((lon2, lat2))
            continue
        if key in BENT_SEGMENTS:
            keep, reason = BENT_SEGMENTS[key]
            check(len(crossed) == 1 and keep in own, f'corridors.csv {cor["id"]}: {na} -> {nb} bends only around one '
                  f'country inside {keep}, but crosses {", ".join(crossed)}')
            avoid = crossed[0]
            inside = seg.Intersection(countries[avoid])
            parts = [inside] if ogr.GT_Flatten(inside.GetGeometryType()) == ogr.wkbLineString else \
                [inside.GetGeometryRef(i) for i in range(inside.GetGeometryCount())]
            start = (lon1, lat1)
            parts.sort(key=lambda g: math.hypot(g.GetPoint_2D(0)[0] - start[0], g.GetPoint_2D(0)[1] - start[1]))
            runs = borders.get(tuple(sorted((keep, avoid))), [])
            for g in parts:
                p1, p2 = g.GetPoint_2D(0), g.GetPoint_2D(g.GetPointCount() - 1)
                if math.hypot(p1[0] - start[0], p1[1] - start[1]) > math.hypot(p2[0] - start[0], p2[1] - start[1]):
                    p1, p2 = p2, p1
                coords += path_along(runs, p1, p2)
            coords.append((lon2, lat2))
            bent = linestring(coords[-(len(coords)):])
            interior = countries[avoid].Buffer(-1e-6)
            check(bent.Intersection(interior).Length() < 1e-9,
                  f'corridors.csv {cor["id"]}: the bent {na} -> {nb} segment still enters {avoid}')
            notes.append(f'{na} to {nb}: {reason}')
            log(f'  corridor {cor["id"]}: {na} -> {nb} crosses {avoid}; bent along the {keep}-{avoid} border ({reason})')
        elif key in ACCEPTED_CROSSINGS:
            log(f'  corridor {cor["id"]}: {na} -> {nb} crosses {", ".join(crossed)}, accepted: {ACCEPTED_CROSSINGS[key]}')
            coords.append((lon2, lat2))
            notes.append(f'{na} to {nb}: {ACCEPTED_CROSSINGS[key]}')
        else:
            check(False, f'corridors.csv {cor["id"]}: the segment {na} -> {nb} crosses {", ".join(crossed)}, where '
                  f'neither waypoint lies ({"/".join(sorted(own))}); add a waypoint, or list the segment in '
                  'BENT_SEGMENTS or ACCEPTED_CROSSINGS with the reason')
    return coords, notes


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--ref', default=os.environ.get('SAHELMAP_REFERENCE',
                                                    os.path.join(HERE, '..', '..', 'shared', 'reference')),
                    help='folder with sites.csv, corridors.csv, timeline.csv, bfa-provinces.csv '
                         '(default: ../shared/reference beside the repository, or $SAHELMAP_REFERENCE)')
    ap.add_argument('--out', default=os.path.join(HERE, 'sahel.gpkg'))
    args = ap.parse_args()
    ref = os.path.abspath(args.ref)
    for fn in ('sites.csv', 'corridors.csv', 'timeline.csv', 'bfa-provinces.csv'):
        check(os.path.isfile(os.path.join(ref, fn)), f'missing reference file {fn} in {ref}')
    check(os.path.isfile(WORLD_MAP), f'{WORLD_MAP} missing: apt-get install qgis-common')

    log(f'GDAL {gdal.__version__}, PROJ {pyproj.proj_version_str}, pyproj {pyproj.__version__}')
    log(f'world_map: {WORLD_MAP}\nreference: {ref}')
    wm = ogr.Open(WORLD_MAP)

    # ---- reference tables, checked against the README's vocabulary before anything is built
    sites = read_csv(os.path.join(ref, 'sites.csv'))
    cors = read_csv(os.path.join(ref, 'corridors.csv'))
    events = read_csv(os.path.join(ref, 'timeline.csv'))
    validate_sites(sites)
    validate_corridors(cors)
    validate_timeline(events)
    log(f'reference: {len(sites)} sites, {len(cors)} corridors, {len(events)} events: every value in the vocabulary')

    # ---- countries and regions
    countries = load_countries(wm)
    log(f'countries: {len(countries)} intersect the view bbox {VIEW_BBOX}: {" ".join(sorted(countries))}')
    if 'ESH' in countries and 'MAR' in countries:
        rebuild_western_sahara(countries)
    units = load_regions(wm, ref)
    provinces = [u for u in units if u['iso3'] == 'BFA']
    subs = load_iso_subdivisions()
    bfa_2001 = dissolve_bfa(provinces, 'region', subs)
    bfa_2025 = dissolve_bfa(provinces, 'region_2025', subs)
    check(len(bfa_2001) == 13 and len(bfa_2025) == 17,
          f'Burkina Faso: {len(bfa_2001)} regions (2001-2025) and {len(bfa_2025)} (2025), expected 13 and 17')
    for r in bfa_2001:
        r.update(valid_from=None, valid_to=BFA_LAYOUT_2025, layout='BFA 13 regions (2001-2025)')
    for r in bfa_2025:
        r.update(valid_from=BFA_LAYOUT_2025, valid_to=None, layout='BFA 17 regions (decree of 2025-07-02)')
    others = [u for u in units if u['iso3'] != 'BFA']
    for r in others:
        r.update(valid_from=None, valid_to=None,
                 layout='MLI 8 regions + Bamako (Natural Earth; the 19 regions in force are not drawn)'
                 if r['iso3'] == 'MLI' else 'NER 7 regions + Niamey')
    regions = sorted(others + bfa_2001 + bfa_2025, key=lambda r: (r['iso3'], r['valid_from'] or (0,), r['code']))
    log(f'regions: {len(regions)} units ({", ".join(f"{k} {v}" for k, v in sorted(Counter(r["iso3"] for r in regions).items()))}); '
        f'Burkina Faso: 13 regions until 2025-07-01, 17 from 2025-07-02, dissolved from {len(provinces)} provinces')

    log('verification: regions vs national outline (must coincide vertex for vertex), per layout in force')
    layouts = [('MLI', [r for r in regions if r['iso3'] == 'MLI']), ('NER', [r for r in regions if r['iso3'] == 'NER']),
               ('BFA', provinces), ('BFA', bfa_2001), ('BFA', bfa_2025)]
    for iso3, regs in layouts:
        res, union = verify_regions_vs_country(iso3, countries[iso3], regs)
        if not res['ok'] and regs is provinces:
            log(f'  {iso3}: world_map country outline does not coincide ({res}); deriving it from its provinces')
            countries[iso3] = as_multipolygon(union)
            res, _ = verify_regions_vs_country(iso3, countries[iso3], regs)
        log(f'  {iso3} ({len(regs)} units): symdiff area {res["symdiff_area"]:.3g} deg2; country vertices '
            f'{res["country_vertices"]} (not in units: {res["country_vertices_not_in_regions"]}); outer edges '
            f'{res["region_outer_edges"]} == country edges {res["country_edges"]}: {res["edge_sets_equal"]} '
            f'-> {"OK" if res["ok"] else "FAIL"}')
        check(res['ok'], f'{iso3}: its {len(regs)} units do not coincide with the national outline: {res}')

    for iso3, g in countries.items():
        check_polygon(g, iso3)
    for r in regions + provinces:
        check_polygon(r['geom'], r['code'])

    # ---- borders
    lines, nshared = build_borders(countries)
    touching, problems = verify_borders(countries, lines)
    log(f'verification: borders: {nshared} shared edges, {len(lines)} country pairs with a land border, '
        f'{touching} touching pairs checked (shared-edge length == boundary intersection length, no overlaps)')
    for p in problems:
        log('  FAIL ' + p)
    check(not problems, 'border verification failed')
    check(len(lines) == touching, f'{len(lines)} border pairs vs {touching} touching pairs')
    # border vertices must be vertices of both countries' rings (true by construction; re-check)
    cverts = {k: set(v for r in rings_of(g) for v in r) for k, g in countries.items()}
    for (a, b), lns in lines.items():
        for ln in lns:
            check(all(v in cverts[a] and v in cverts[b] for v in ln), f'border {a}-{b} vertex not on both rings')
    aes_pairs = sorted(p for p in lines if p[0] in AES or p[1] in AES)
    log(f'  AES borders: {" ".join(a + "-" + b for a, b in aes_pairs)}')

    # ---- names
    arabic = arabic_country_names()
    log(f'verification: all {len(countries)} country and {len(regions) + len(provinces)} unit polygons valid, rings closed')

    # ---- write
    global TMP_OUT
    out_tmp = TMP_OUT = os.path.splitext(args.out)[0] + '.tmp.gpkg'
    if os.path.exists(out_tmp):
        os.remove(out_tmp)
    gdal.SetConfigOption('OGR_CURRENT_DATE', '2026-01-01T00:00:00.000Z')
    drv = ogr.GetDriverByName('GPKG')
    ds = drv.CreateDataSource(out_tmp)

    # Countries carry their bloc with dates: the three AES states were ECOWAS members until the charter, an
    # alliance, then a confederation, and left ECOWAS when the exit took effect. A map of 2020 has no AES.
    def membership(iso3):
        if iso3 not in AES:
            bloc = 'ECOWAS' if iso3 in ECOWAS else 'other'
            return [(None, None, bloc, None, 'member' if bloc == 'ECOWAS' else None)]
        return [(None, AES_CHARTER, 'ECOWAS', None, 'member'),
                (AES_CHARTER, AES_CONFEDERATION, 'AES', 'alliance', 'member'),
                (AES_CONFEDERATION, ECOWAS_EXIT, 'AES', 'confederation', 'member'),
                (ECOWAS_EXIT, None, 'AES', 'confederation', None)]

    lyr = make_layer(ds, 'countries', ogr.wkbMultiPolygon,
                     [('iso3', 'str'), ('name', 'str'), ('name_ar', 'str'), ('bloc', 'str'), ('aes', 'str'),
                      ('ecowas', 'str'), ('valid_from', 'date'), ('valid_to', 'date')],
                     'Natural Earth 1:10m admin-0 (QGIS world_map.gpkg), whole countries intersecting the view; '
                     'one row per period of bloc membership (AES charter 2023-09-16, confederation 2024-07-06, '
                     'ECOWAS exit 2025-01-29)')
    ds.StartTransaction()
    for iso3 in sorted(countries):
        for vf, vt, bloc, aes, ecowas in membership(iso3):
            add_feature(lyr, {'iso3': iso3, 'name': COUNTRY_NAMES[iso3], 'name_ar': arabic.get(iso3), 'bloc': bloc,
                              'aes': aes, 'ecowas': ecowas, 'valid_from': vf, 'valid_to': vt}, countries[iso3])
    ds.CommitTransaction()

    lyr = make_layer(ds, 'borders', ogr.wkbMultiLineString,
                     [('iso3_a', 'str'), ('iso3_b', 'str'), ('kind', 'str'), ('valid_from', 'date'),
                      ('valid_to', 'date')],
                     'International land boundaries between countries of the countries layer (shared polygon '
                     'edges); AES kinds from the Liptako-Gourma charter (2023-09-16), "other" before')
    ds.StartTransaction()
    for (a, b) in sorted(lines):
        n_aes = (a in AES) + (b in AES)
        kind = 'aes_internal' if n_aes == 2 else ('aes_external' if n_aes == 1 else 'other')
        g = ogr.Geometry(ogr.wkbMultiLineString)
        for ln in lines[(a, b)]:
            g.AddGeometry(linestring(ln))
        periods = [(None, None, kind)] if kind == 'other' else [(None, AES_CHARTER, 'other'), (AES_CHARTER, None, kind)]
        for vf, vt, k in periods:
            add_feature(lyr, {'iso3_a': a, 'iso3_b': b, 'kind': k, 'valid_from': vf, 'valid_to': vt}, g)
    ds.CommitTransaction()

    lyr = make_layer(ds, 'regions', ogr.wkbMultiPolygon,
                     [('iso3', 'str'), ('name', 'str'), ('code', 'str'), ('layout', 'str'), ('valid_from', 'date'),
                      ('valid_to', 'date')],
                     'Admin-1 units in force at each date: Natural Earth 1:10m regions of Mali (8 + Bamako: the 19 '
                     'regions in force are not drawn, no open boundaries) and Niger (7 + Niamey); Burkina Faso\'s '
                     '13 regions until 2025-07-01 and 17 regions from 2025-07-02, dissolved from its provinces '
                     '(bfa-provinces.csv). Codes ISO 3166-2; BF-2025-* for the 2025 regions (no ISO codes yet)')
    ds.StartTransaction()
    for r in regions:
        add_feature(lyr, {'iso3': r['iso3'], 'name': r['name'], 'code': r['code'], 'layout': r['layout'],
                          'valid_from': r['valid_from'], 'valid_to': r['valid_to']}, r['geom'])
    ds.CommitTransaction()

    lyr = make_layer(ds, 'provinces', ogr.wkbMultiPolygon,
                     [('iso3', 'str'), ('name', 'str'), ('code', 'str'), ('region', 'str'), ('region_2025', 'str')],
                     "Burkina Faso's 45 provinces (Natural Earth admin-1; ISO 3166-2 codes) with their region in "
                     'the 2001-2025 and the 2025 layouts (bfa-provinces.csv); the 47 provinces of 2025 cannot be drawn')
    ds.StartTransaction()
    for r in sorted(provinces, key=lambda r: r['code']):
        add_feature(lyr, {'iso3': 'BFA', 'name': r['name'], 'code': r['code'], 'region': r['region'],
                          'region_2025': r['region_2025']}, r['geom'])
    ds.CommitTransaction()

    # sites
    def site_label(s):
        # Short map label: the place (text before ' - ' or ' ('), then the actor;
        # a trailing '?' marks low-confidence claims.
        place = s['name'].split(' - ')[0].split(' (')[0].strip()
        return f"{place} · {ACTOR_SHORT[s['actor']]}" + ('?' if s['confidence'] == 'low' else '')

    site_fields = [('id', 'str'), ('name', 'str'), ('country_iso3', 'str'), ('kind', 'str'), ('actor', 'str'),
                   ('status', 'str'), ('valid_from', 'date'), ('valid_to', 'date'), ('strength', 'int'),
                   ('confidence', 'str'), ('seed_mention', 'str'), ('source', 'str'), ('in_model', 'str')]
    lyr = make_layer(ds, 'sites', ogr.wkbPoint, site_fields + [('label', 'str'), ('actor_name', 'str')],
                     'Project reference table sites.csv; label = short map label, actor_name = the actor in words')
    ids = Counter(s['id'] for s in sites)
    check(all(n == 1 for n in ids.values()), 'duplicate site ids')
    ds.StartTransaction()
    outside = []
    for s in sites:
        lon, lat = float(s['lon']), float(s['lat'])
        c = s['country_iso3']
        if c in countries and not countries[c].Contains(point(lon, lat)):
            outside.append(f'{s["id"]} ({countries[c].Distance(point(lon, lat)):.3f} deg)')
        vals = {}
        for fname, ftype in site_fields:
            v = s[fname]
            vals[fname] = parse_date(v) if ftype == 'date' else (int(v) if ftype == 'int' and v != '' else v)
        vals['label'] = site_label(s)
        vals['actor_name'] = ACTOR_NAMES[s['actor']]
        add_feature(lyr, vals, point(lon, lat))
    ds.CommitTransaction()
    log(f'sites: {len(sites)} ({sum(s["in_model"] == "no" for s in sites)} drawn but not counted by the model, '
        'in_model=no)' + (f'; outside their country polygon: {", ".join(outside)}' if outside else ''))

    # corridors
    geod = pyproj.Geod(ellps='WGS84')
    cor_fields = [('id', 'str'), ('name', 'str'), ('mode', 'str'), ('actor', 'str'), ('valid_from', 'date'),
                  ('valid_to', 'date'), ('confidence', 'str'), ('seed_mention', 'str'), ('source', 'str'),
                  ('waypoints', 'str'), ('schematic', 'str')]
    lyr = make_layer(ds, 'corridors', ogr.wkbLineString,
                     cor_fields + [('actor_name', 'str'), ('geometry_note', 'str')],
                     'Project reference table corridors.csv; air links as WGS84 geodesics (~25 km steps), '
                     'schematic=yes: a connection, not a reported route; roads as straight segments between '
                     'waypoints, each inside the countries of its two ends (geometry_note says where one is bent)')
    ds.StartTransaction()
    for c in cors:
        pts = parse_waypoints(c['waypoints'])
        notes = []
        if c['mode'] == 'air':
            coords = air_path(pts, geod)
        else:
            coords, notes = route_coords(c, pts, countries, lines)
        vals = {k: (parse_date(c[k]) if t == 'date' else c[k]) for k, t in cor_fields}
        vals['actor_name'] = ACTOR_NAMES[c['actor']]
        vals['geometry_note'] = '; '.join(notes) or None
        add_feature(lyr, vals, linestring(coords))
        km = sum(geod.inv(*a, *b)[2] for a, b in zip(coords, coords[1:])) / 1000
        log(f'  corridor {c["id"]}: {c["mode"]}{" (schematic)" if c["schematic"] == "yes" else ""}, '
            f'{len(pts)} waypoints -> {len(coords)} vertices, {km:.0f} km')
    ds.CommitTransaction()

    # places
    places = read_csv(os.path.join(HERE, 'places.csv'))
    lyr = make_layer(ds, 'places', ogr.wkbPoint,
                     [('name', 'str'), ('name_ar', 'str'), ('iso3', 'str'), ('kind', 'str'), ('rank', 'int'),
                      ('population', 'int')],
                     'Capitals and main towns (geodata/places.csv)')
    seen = set()
    far = []
    ds.StartTransaction()
    for p in places:
        key = (p['iso3'], norm(p['name']))
        check(key not in seen, f'duplicate place {p["name"]}')
        seen.add(key)
        check(p['iso3'] in countries, f'place {p["name"]}: country {p["iso3"]} not in layer')
        check(p['kind'] in ('capital', 'town') and p['rank'] in ('1', '2', '3'), f'place {p["name"]}: kind/rank')
        lon, lat = float(p['lon']), float(p['lat'])
        d = countries[p['iso3']].Distance(point(lon, lat))
        check(d < 0.1, f'place {p["name"]} is {d:.2f} deg outside {p["iso3"]}')
        if d > 0:
            far.append(f'{p["name"]} {d:.3f}')
        add_feature(lyr, {'name': p['name'], 'name_ar': p['name_ar'] or None, 'iso3': p['iso3'],
                          'kind': p['kind'], 'rank': int(p['rank']),
                          'population': int(p['population']) if p['population'] else None}, point(lon, lat))
    ds.CommitTransaction()
    caps = {p['iso3'] for p in places if p['kind'] == 'capital'}
    check(caps >= set(countries), f'countries without a capital in places.csv: {sorted(set(countries) - caps)}')
    log(f'places: {len(places)} ({len(caps)} capitals); coastal points slightly outside the generalised '
        f'coastline (deg): {", ".join(far) if far else "none"}')

    # events
    lyr = make_layer(ds, 'events', ogr.wkbNone,
                     [('date', 'date'), ('event', 'str'), ('countries', 'str'), ('actors', 'str'), ('source', 'str')],
                     'Project reference table timeline.csv')
    ds.StartTransaction()
    for e in events:
        check(parse_date(e['date']) is not None, f'event without date: {e["event"][:40]}')
        add_feature(lyr, {'date': parse_date(e['date']), 'event': e['event'], 'countries': e['countries'],
                          'actors': e['actors'], 'source': e['source']})
    ds.CommitTransaction()
    log(f'events: {len(events)}')

    ds = None
    gdal.SetConfigOption('OGR_CURRENT_DATE', None)
    # VACUUM for a compact, reproducible file
    ds = ogr.Open(out_tmp, update=1)
    ds.ExecuteSQL('VACUUM')
    ds = None
    os.replace(out_tmp, args.out)
    log(f'wrote {args.out} ({os.path.getsize(args.out) / 1e6:.2f} MB)')


if __name__ == '__main__':
    try:
        main()
    except CheckFailed as e:
        print(f'BUILD FAILED: {e}', file=sys.stderr)
        for tmp in glob.glob(os.path.join(HERE, '*.tmp.gpkg')) + glob.glob(TMP_OUT):
            os.remove(tmp)
        sys.exit(1)
