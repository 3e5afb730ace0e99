"""How well the coder tells binary data from text (``coding._decode``): the share of
unreadable characters (controls, private-use, lone surrogates, U+FFFD) in what decoding gives.

Random bytes of several kinds (plain, without NUL, high bytes only, behind each byte-order
mark, high bytes read as UTF-8 into U+FFFD, a PNG, gzip) with SEEDS seeds each must all be
refused; a real sentence in eighteen languages, repeated, in UTF-8, UTF-16 and the languages'
usual legacy encodings, must all be read. Prints, per kind, how many were refused and the
lowest unreadable share any of them has when decoded as decoding reads it; and the highest
share among the real texts.

Run: .venv/bin/python benchmarks/binary_input.py [SEEDS]
"""

from __future__ import annotations

import codecs
import random
import struct
import sys
import zlib

from sdpatlas.coding import RefusedInput
from sdpatlas.coding._decode import decode, unreadable_share

SAMPLES = {  # the first article of the Universal Declaration of Human Rights, and a post
    "en": ('All human beings are born free and equal in dignity and '
           'rights. They are endowed with reason and conscience and '
           'should act towards one another in a spirit of brotherhood.'),
    "fr": ('Tous les êtres humains naissent libres et égaux en dignité '
           'et en droits. Ils sont doués de raison et de conscience et '
           'doivent agir les uns envers les autres dans un esprit de '
           'fraternité.'),
    "de": ('Alle Menschen sind frei und gleich an Würde und Rechten '
           'geboren. Sie sind mit Vernunft und Gewissen begabt und '
           'sollen einander im Geist der Brüderlichkeit begegnen.'),
    "pl": ('Wszyscy ludzie rodzą się wolni i równi pod względem swej '
           'godności i swych praw. Są oni obdarzeni rozumem i sumieniem '
           'i powinni postępować wobec innych w duchu braterstwa.'),
    "ru": ('Все люди рождаются свободными и равными в своем достоинстве '
           'и правах. Они наделены разумом и совестью и должны '
           'поступать в отношении друг друга в духе братства.'),
    "uk": ('Всі люди народжуються вільними і рівними у своїй гідності '
           'та правах. Вони наділені розумом і совістю і повинні діяти '
           'у відношенні один до одного в дусі братерства.'),
    "el": ('Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην '
           'αξιοπρέπεια και τα δικαιώματα. Είναι προικισμένοι με λογική '
           'και συνείδηση, και οφείλουν να συμπεριφέρονται μεταξύ τους '
           'με πνεύμα αδελφοσύνης.'),
    "ar": ('يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد '
           'وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء.'),
    "he": ('כל בני האדם נולדו בני חורין ושווים בערכם ובזכויותיהם. כולם '
           'חוננו בתבונה ובמצפון, לפיכך חובה עליהם לנהוג איש ברעהו ברוח '
           'של אחוה.'),
    "ja": ('すべての人間は、生まれながらにして自由であり、かつ、尊厳と権'
           '利とについて平等である。人間は、理性と良心とを授けられており'
           '、互いに同胞の精神をもって行動しなければならない。'),
    "zh": ('人人生而自由,在尊严和权利上一律平等。他们赋有理性和良心,并'
           '应以兄弟关系的精神相对待。'),
    "ko": ('모든 인간은 태어날 때부터 자유로우며 그 존엄과 '
           '권리에 있어 동등하다. 인간은 천부적으로 이성과 '
           '양심을 부여받았으며 서로 형제애의 정신으로 행동하여야 '
           '한다.'),
    "hi": ('सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात '
           'स्वतन्त्रता और समानता प्राप्त है। उन्हें बुद्धि और '
           'अन्तरात्मा की देन प्राप्त है और परस्पर उन्हें भाईचारे के '
           'भाव से बर्ताव करना चाहिए।'),
    "th": ('มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักด[เกียรต'
           'ิศักดิ์]และสิทธิ ต่างมีเหตุผลและมโนธรรม '
           'และควรปฏิบัติต่อกันด้วยเจตนารมณ์แห่งภราดรภาพ'),
    "tr": ('Bütün insanlar hür, haysiyet ve haklar bakımından eşit '
           'doğarlar. Akıl ve vicdana sahiptirler ve birbirlerine karşı '
           'kardeşlik zihniyeti ile hareket etmelidirler.'),
    "vi": ('Tất cả mọi người sinh ra đều được tự do và bình đẳng về '
           'nhân phẩm và quyền lợi. Mọi con người đều được tạo hóa ban '
           'cho lý trí và lương tâm và cần phải đối xử với nhau trong '
           'tình anh em.'),
    "am": ('የሰው ልጅ ሁሉ ሲወለድ ነጻና በክብርና በመብትም እኩልነት ያለው ነው። የተፈጥሮ ማስተዋልና '
           'ሕሊና ስላለው አንዱ ሌላውን በወንድማማችነት መንፈስ መመልከት ይገባዋል።'),
    "emoji": ('Great meeting today 🎉🇪🇺🤝🇯🇵 — cooperation on cyber 🛡️ and '
              'maritime ⚓ security! 👍👍 ✅'),
}
ENC = {  # each language's usual legacy encodings
    "fr": ('cp1252', 'latin-1'), "de": ('cp1252',), "pl": ('cp1250', 'iso-8859-2'),
    "ru": ('cp1251', 'koi8-r'), "uk": ('cp1251',), "el": ('iso-8859-7', 'cp1253'),
    "ar": ('cp1256',), "he": ('cp1255',), "ja": ('shift_jis', 'euc-jp'),
    "zh": ('gb18030',), "ko": ('euc-kr',), "tr": ('cp1254',), "th": ('cp874',),
    "en": ('ascii',),
}


def _png(r: random.Random) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + r.randbytes(96) for _ in range(32))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def garbage(seed: int) -> dict[str, bytes]:
    """Binary data of each kind for one seed."""
    r = random.Random(seed)

    def span(lo: int, hi: int = 256) -> bytes:
        return bytes(r.randrange(lo, hi) for _ in range(4096))

    return {"random": r.randbytes(4096), "no NUL": span(1), "high bytes": span(0x80),
            "UTF-8 BOM": codecs.BOM_UTF8 + r.randbytes(4096),
            "UTF-16 BOM": codecs.BOM_UTF16_LE + r.randbytes(4096),
            "UTF-16BE BOM": codecs.BOM_UTF16_BE + r.randbytes(4096),
            "UTF-32 BOM": codecs.BOM_UTF32_LE + r.randbytes(4096),
            "U+FFFD": span(0x80).decode("utf-8", "replace").encode(),
            "PNG": _png(r), "gzip": zlib.compress(span(0x20, 0x7F))}


def _share(data: bytes) -> float | None:
    """The unreadable share of what decoding reads before its check (None: not decoded)."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return unreadable_share(data.decode(name, errors="replace"))
    try:
        return unreadable_share(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _refused(data: bytes) -> bool:
    try:
        decode(data)
    except RefusedInput:
        return True
    return False


def main(seeds: int) -> None:
    """Print the figures."""
    kinds: dict[str, list[bytes]] = {}
    for seed in range(seeds):
        for kind, data in garbage(seed).items():
            kinds.setdefault(kind, []).append(data)
    for kind, found in kinds.items():
        shares = [s for s in map(_share, found) if s is not None]
        low = f"{min(shares):.1%}" if shares else "not decoded"
        print(f"{kind:14} refused {sum(map(_refused, found))}/{len(found)}, lowest share {low}")
    worst, read = 0.0, 0
    for lang, text in SAMPLES.items():
        body = "\n".join([text] * 30)
        for enc in ("utf-8", "utf-16", *ENC.get(lang, [])):
            data = body.encode(enc)
            worst = max(worst, unreadable_share(decode(data).text))
            read += 1
    print(f"real texts: {read} read, highest share {worst:.1%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
