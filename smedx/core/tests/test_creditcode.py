"""GB 32100-2015 unified social credit codes: format, character set and check character."""

from django.test import SimpleTestCase

from smedx.core.creditcode import (
    CREDIT_CHARS,
    credit_check_char,
    credit_code_error,
    make_credit_code,
    normalise_credit_code,
)

# Published codes of real enterprises. Besides the GB 32100 check character, the ones with a numeric
# organisation code also pass the GB 11714 check of characters 9–17, which a made-up code rarely does.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
]


class CreditCodeTests(SimpleTestCase):
    def test_it_accepts_published_codes(self):
        for code in REAL_CODES:
            with self.subTest(code=code):
                self.assertIsNone(credit_code_error(code))

    def test_it_computes_the_check_character_by_hand(self):
        # 91110000600037341L: the values of the first 17 characters times the weights 3^i mod 31
        # (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28) sum to
        # 9 + 3 + 9 + 27 + 6*20 + 3*8 + 7*24 + 3*10 + 4*30 + 1*28 = 538; 538 mod 31 = 11;
        # 31 - 11 = 20, and the character of value 20 is L (A=10 … H=17, J=18, K=19, L=20).
        self.assertEqual(credit_check_char("91110000600037341"), "L")
        self.assertEqual(CREDIT_CHARS[20], "L")

    def test_it_uses_zero_when_the_remainder_is_zero(self):
        # 9*1 + 1*3 + 5*9 + 1*26 + 1*16 + 2*17 + 3*28 = 217 = 7 * 31; 31 - 0 is no character, so 0.
        self.assertEqual(credit_check_char("91500112000000003"), "0")
        self.assertIsNone(credit_code_error("915001120000000030"))

    def test_it_names_the_expected_check_character(self):
        error = credit_code_error("91110000600037341X")
        self.assertIsNotNone(error)
        self.assertIn("L", error)
        self.assertIn("X", error)
        self.assertIn("check character", error)

    def test_it_refuses_every_forbidden_letter(self):
        for letter in "IOSVZ":
            code = "9135010" + letter + "M000100Y43"
            with self.subTest(letter=letter):
                error = credit_code_error(code)
                self.assertIsNotNone(error)
                self.assertIn(letter, error)
                self.assertIn("not allowed", error)

    def test_it_refuses_a_wrong_length(self):
        for code in ["", "91110000600037341", "91110000600037341LL", "9111"]:
            with self.subTest(code=code):
                error = credit_code_error(code)
                self.assertIsNotNone(error)
                self.assertIn(str(len(code)), error)

    def test_it_refuses_a_division_code_with_letters(self):
        first17 = "9111A000600037341"
        error = credit_code_error(first17 + credit_check_char(first17))
        self.assertIsNotNone(error)
        self.assertIn("division", error)

    def test_it_refuses_lower_case_until_normalised(self):
        typed = " 91440300708461136t "
        self.assertIsNotNone(credit_code_error(typed))
        code = normalise_credit_code(typed)
        self.assertEqual(code, "91440300708461136T")
        self.assertIsNone(credit_code_error(code))

    def test_it_normalises_spaces_and_none(self):
        self.assertEqual(normalise_credit_code("9111 0000 6000 3734 1l"), "91110000600037341L")
        self.assertEqual(normalise_credit_code(None), "")

    def test_it_makes_valid_codes_with_the_division_code(self):
        for division, serial in [
            ("500112", 1),
            ("500105", 1234),
            ("500000", 99999999),
            ("110108", 123456789),
        ]:
            with self.subTest(division=division, serial=serial):
                code = make_credit_code(division, serial)
                self.assertEqual(len(code), 18)
                self.assertIsNone(credit_code_error(code))
                self.assertEqual(code[:2], "91")
                self.assertEqual(code[2:8], division)

    def test_it_makes_different_codes_for_different_serials(self):
        codes = {make_credit_code("500112", serial) for serial in range(1, 200)}
        self.assertEqual(len(codes), 199)

    def test_it_makes_codes_of_another_registration_kind(self):
        code = make_credit_code("500112", 7, kind="92")
        self.assertTrue(code.startswith("92500112"))
        self.assertIsNone(credit_code_error(code))
