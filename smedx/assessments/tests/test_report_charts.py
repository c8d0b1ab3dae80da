"""The radar chart: geometry and the SVG it draws."""

import re

from django.test import SimpleTestCase

from smedx.assessments.charts import Geometry, Series, radar_points, radar_svg

GEOMETRY = Geometry(width=400, height=400, radius=100)  # centre (200, 194)


def series_points(svg: str) -> list[list[tuple[float, float]]]:
    found = re.findall(r'<polygon points="([^"]+)"[^>]*class="radar-series"', svg)
    return [[tuple(float(v) for v in pair.split(",")) for pair in points.split()] for points in found]


class RadarGeometryTests(SimpleTestCase):
    def test_it_puts_a_full_axis_on_the_outer_ring_and_zero_in_the_centre(self):
        cx, cy = GEOMETRY.centre
        points = radar_points([1, 0.5, 0, 1], GEOMETRY)
        self.assertEqual(points[0], (cx, cy - 100))  # the first axis points up
        self.assertEqual(points[1], (cx + 50, cy))  # then clockwise: right, half way
        self.assertEqual(points[2], (cx, cy))
        self.assertEqual(points[3], (cx - 100, cy))

    def test_it_clamps_values_outside_the_chart(self):
        cx, cy = GEOMETRY.centre
        self.assertEqual(radar_points([1.7, -0.2, 1], GEOMETRY)[:2], [(cx, cy - 100), (cx, cy)])

    def test_it_places_every_full_axis_at_the_radius(self):
        cx, cy = GEOMETRY.centre
        for x, y in radar_points([1] * 13, GEOMETRY):
            self.assertAlmostEqual(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5, 100, delta=0.01)


class RadarSvgTests(SimpleTestCase):
    labels = [f"轴{n}" for n in range(1, 14)]

    def test_it_draws_one_vertex_per_axis(self):
        svg = radar_svg(self.labels, [Series("本次", [0.5] * 13)], geometry=GEOMETRY)
        (points,) = series_points(svg)
        self.assertEqual(len(points), 13)
        self.assertEqual(points, radar_points([0.5] * 13, GEOMETRY))
        self.assertEqual(svg.count('class="radar-ring"'), GEOMETRY.rings)
        for label in self.labels:
            self.assertIn(f">{label}</text>", svg)

    def test_it_draws_a_polygon_and_a_legend_per_series(self):
        svg = radar_svg(self.labels, [Series("自评", [0.2] * 13), Series("评定", [0.4] * 13)])
        self.assertEqual(len(series_points(svg)), 2)
        self.assertIn(">自评</text>", svg)
        self.assertIn(">评定</text>", svg)

    def test_it_escapes_the_labels(self):
        svg = radar_svg(["<b>", "a&b", "c"], [Series("x", [1, 1, 1])])
        self.assertIn("&lt;b&gt;", svg)
        self.assertIn("a&amp;b", svg)
        self.assertNotIn("<b>", svg)

    def test_it_refuses_a_series_that_does_not_fit_the_axes(self):
        with self.assertRaises(ValueError):
            radar_svg(["a", "b", "c"], [Series("x", [1, 1])])
        with self.assertRaises(ValueError):
            radar_svg(["a", "b"], [Series("x", [1, 1])])
