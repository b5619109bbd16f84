"""Unit tests of make bench's figures: FIGURE parsing, size suffixes, ratios, goals, the tables and
the BENCH line. Run: python3 -m unittest discover -s scripts -p 'test_*.py'"""

import json
import unittest

import bench_figures as bf


def fig(key, value, **kw):
    return "FIGURE " + json.dumps({"key": key, "value": value, "unit": kw.pop("unit", "x"), **kw})


class Parse(unittest.TestCase):
    def test_reads_figure_lines_among_other_output(self):
        text = "\n".join([
            "| measure | result |", fig("loopback_rps", 82823.0, unit="req/s"),
            "   " + fig("token_issue_rps", 21409, baseline="loopback_rps", goal=">= 0.45"), "done",
        ])
        figures, errors = bf.parse_figures(text, "tokens")
        self.assertEqual(errors, [])
        self.assertEqual([f.key for f in figures], ["loopback_rps", "token_issue_rps"])
        self.assertEqual(figures[1].value, 21409.0)
        self.assertEqual(figures[1].baseline, "loopback_rps")
        self.assertEqual(figures[1].step, "tokens")

    def test_a_bad_line_is_named_not_taken(self):
        text = "\n".join(["FIGURE {not json", fig("Bad-Key", 1), fig("x_ms", "12"), fig("ok_ms", 3)])
        figures, errors = bf.parse_figures(text, "sync 10k")
        self.assertEqual([f.key for f in figures], ["ok_ms"])
        self.assertEqual(len(errors), 3)
        self.assertTrue(all(e.startswith("sync 10k: bad FIGURE line") for e in errors))

    def test_sizes(self):
        self.assertEqual([bf.size_tag(n) for n in (10_000, 100_000, 1_000_000, 12_345, 500)],
                         ["10k", "100k", "1m", "12345", "500"])
        self.assertEqual([bf.parse_size(s) for s in ("10000", "100_000", "100k", "1M", "2,000")],
                         [10_000, 100_000, 100_000, 1_000_000, 2_000])
        for bad in ("", "k", "0", "ten", "-5"):
            with self.assertRaises(ValueError):
                bf.parse_size(bad)


class Adopt(unittest.TestCase):
    def figures(self, size):
        text = "\n".join([
            fig("cache_write_rows_per_s", 5, baseline="sqlite_c_insert_rows_per_s", goal=">= 0.5"),
            fig("sqlite_c_insert_rows_per_s", 10),
            fig("search_p95_ms_1m", 7, goal_abs="<= 10"),
            fig("full_sync_100k_s", 1.2, baseline="loopback_rps"),
        ])
        return bf.adopt(bf.parse_figures(text, "sync", size)[0], size, 100_000)

    def test_the_primary_size_keeps_its_keys(self):
        keys = [f.key for f in self.figures(100_000)]
        self.assertEqual(keys, ["cache_write_rows_per_s", "sqlite_c_insert_rows_per_s", "search_p95_ms_1m",
                                "full_sync_100k_s"])

    def test_another_size_suffixes_keys_without_a_size_and_their_same_run_baselines(self):
        fs = self.figures(1_000_000)
        self.assertEqual([f.key for f in fs], ["cache_write_rows_per_s_1m", "sqlite_c_insert_rows_per_s_1m",
                                               "search_p95_ms_1m", "full_sync_100k_s"])
        self.assertEqual(fs[0].baseline, "sqlite_c_insert_rows_per_s_1m")
        self.assertEqual(fs[3].baseline, "loopback_rps", "a baseline of another run keeps its name")

    def test_merge_keeps_the_last_and_says_so(self):
        into = {}
        self.assertEqual(bf.merge(into, bf.parse_figures(fig("a_ms", 1), "one")[0]), [])
        notes = bf.merge(into, bf.parse_figures(fig("a_ms", 2), "two")[0])
        self.assertEqual(into["a_ms"].value, 2)
        self.assertIn("a_ms printed twice", notes[0])


class Goals(unittest.TestCase):
    def test_goal_operators(self):
        self.assertTrue(bf.goal_met(">= 0.45", 0.45))
        self.assertFalse(bf.goal_met(">= 0.45", 0.449))
        self.assertTrue(bf.goal_met("<= 1.5", 1.5))
        self.assertTrue(bf.goal_met("< 2 ms", 1.99))
        self.assertFalse(bf.goal_met("> 6_000_000", 6_000_000))
        self.assertTrue(bf.goal_met("<=6000000", 5_999_999))
        with self.assertRaises(ValueError):
            bf.goal_met("fast", 1)

    def rows(self, *lines):
        figures = {}
        bf.merge(figures, bf.parse_figures("\n".join(lines))[0])
        return {k: bf.evaluate(f, figures) for k, f in figures.items()}

    def test_ratio_to_the_same_run_baseline(self):
        rows = self.rows(fig("loopback_rps", 80000), fig("token_issue_rps", 40000, baseline="loopback_rps",
                                                             goal=">= 0.45"),
                         fig("acting_as_rps", 64000, baseline="loopback_rps", goal=">= 0.9"))
        self.assertEqual((rows["token_issue_rps"].ratio, rows["token_issue_rps"].met), ("0.50", "met"))
        self.assertEqual((rows["acting_as_rps"].ratio, rows["acting_as_rps"].met), ("0.80", "**missed**"))
        self.assertEqual(rows["token_issue_rps"].baseline, "loopback_rps = 80,000")
        self.assertEqual(rows["loopback_rps"].met, "", "no goal, no verdict")

    def test_absolute_goal_and_both(self):
        rows = self.rows(fig("search_p95_ms_100k", 1.5, unit="ms", goal_abs="<= 2"),
                         fig("first_paint_ms", 400), fig("cold_start_ms_10k", 700, baseline="first_paint_ms",
                                                         goal="<= 1.5", goal_abs="<= 500"))
        self.assertEqual(rows["search_p95_ms_100k"].met, "met")
        self.assertEqual(rows["search_p95_ms_100k"].goal, "<= 2 ms")
        self.assertEqual(rows["cold_start_ms_10k"].ratio, "1.75")
        self.assertEqual(rows["cold_start_ms_10k"].met, "**missed**")

    def test_missing_baseline_is_no_verdict(self):
        rows = self.rows(fig("full_sync_100k_wan_s", 4, baseline="full_sync_100k_s", goal="<= 5"))
        r = rows["full_sync_100k_wan_s"]
        self.assertEqual((r.ratio, r.met, r.baseline), ("", "n/a (no baseline)", "full_sync_100k_s (missing)"))


class Tables(unittest.TestCase):
    def test_growth_table_reads_suffixed_keys_and_the_primary_run(self):
        figures = {}
        for size, lines in [
            (10_000, [fig("full_sync_s_10k", 0.3), fig("cache_bytes_10k", 25e6), fig("idle_pss_mib", 210),
                      fig("cold_start_ms_10k", 600)]),
            (1_000_000, [fig("full_sync_s_1m", 30), fig("cache_bytes_1m", 2.5e9), fig("idle_pss_mib", 260)]),
        ]:
            fs = bf.parse_figures("\n".join(lines), "w", size)[0]
            bf.merge(figures, bf.adopt(fs, size, 10_000))
        table = bf.growth_table(figures, [10_000, 100_000, 1_000_000]).splitlines()
        self.assertEqual(table[0], "| users cached | 10k | 100k | 1m | 1m / 10k |")
        self.assertEqual(table[2], "| full sync, end to end (s) | 0.30 | - | 30.0 | x100 |")
        self.assertEqual(table[4], "| cache on disk (file + -wal) after the full sync (MB) | 25.0 | - | 2,500 | x100 |")
        self.assertEqual(table[5], "| app memory, idle PSS of the process tree (MiB) | 210 | - | 260 | x1.24 |")
        self.assertEqual(table[6], "| window cold start to first rows (median) (ms) | 600 | - | - |  |")

    def test_bench_line_has_every_required_key(self):
        figures = {}
        bf.merge(figures, bf.parse_figures("\n".join([fig("deb_bytes", 5e6), fig("extra_ms", 1)]))[0])
        line, missing = bf.bench_line(figures)
        self.assertTrue(line.startswith("BENCH {"))
        values = json.loads(line[len("BENCH "):])
        self.assertEqual(set(bf.REQUIRED) - set(values), set())
        self.assertEqual(values["deb_bytes"], 5e6)
        self.assertEqual(values["extra_ms"], 1)
        self.assertIsNone(values["token_issue_rps"])
        self.assertEqual(len(missing), len(bf.REQUIRED) - 1)
        self.assertNotIn("deb_bytes", missing)

    def test_a_required_key_falls_back_to_its_sized_name(self):
        figures = {}
        bf.merge(figures, bf.parse_figures("\n".join([fig("idle_pss_mib_10k", 210), fig("idle_pss_mib_1m", 300)]))[0])
        line, missing = bf.bench_line(figures)
        values = json.loads(line[len("BENCH "):])
        self.assertEqual((values["idle_pss_mib"], values["idle_pss_mib_1m"]), (210, 300))
        self.assertNotIn("idle_pss_mib", missing)

    def test_figures_table_is_markdown(self):
        figures = {}
        bf.merge(figures, bf.parse_figures(fig("a_ms", 1234.5, label="a | b"))[0])
        lines = bf.figures_table(figures).splitlines()
        self.assertEqual(len(lines), 3)
        self.assertEqual(lines[2], "| a_ms | 1,234 | x |  |  |  |  | a / b |")

    def test_numbers(self):
        self.assertEqual([bf.fmt(x) for x in (82823.4, 288.4, 26.34, 5.812, 0.004321, 0, None)],
                         ["82,823", "288", "26.3", "5.81", "0.00432", "0.00", "-"])


if __name__ == "__main__":
    unittest.main()
