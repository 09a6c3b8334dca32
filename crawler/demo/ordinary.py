"""Ordinary chemical listings (product pages and stock lists of everyday chemicals), for the demo marketplace and
the benchmark mix. Benign CAS-like numbers are random digit strings with a valid check digit (synthetic, never a
controlled number). Advertisement text only; contacts are fake."""

from __future__ import annotations

import random

from lexicon.cas import cas_check_digit

WORDS = ("acid", "sodium", "potassium", "chloride", "acetate", "ethyl", "methyl", "glycol", "oxide", "citrate",
         "benzoate", "stearate", "glycerol", "sulfate", "carbonate", "phosphate", "amine", "amide", "ester",
         "alcohol", "hydroxide", "nitrate", "lactate", "gluconate", "silicate", "titanium", "zinc", "magnesium",
         "calcium", "vitamin", "extract", "polymer", "resin", "powder", "crystal", "dioxide", "butyl", "propyl")
PHRASES = (
    "High purity 99%, factory supply.", "Competitive price, stable quality.", "COA, MSDS and HNMR available on request.",
    "Professional team, 24/7 online service.", "We have 12 years experience in export.",
    "Stock in warehouse, ship within 24 hours after payment.", "Best price for bulk orders, 10% off for repeat customers.",
    "Payment: T/T, Western Union, L/C.", "Tracking number provided within 2 days.", "Sample available for testing.",
    "Suitable for food, cosmetic and industrial use.", "Packed in fiber drums with double PE liners.",
    "Store in a cool, dry place away from light.", "Shelf life 24 months in original packaging.",
)
CITIES = ("Wuhan", "Shanghai", "Hangzhou", "Jinan", "Mumbai", "Hyderabad", "Rotterdam", "Monterrey", "Tianjin")
NAMES = ("Olvexa", "Miralun", "Quorvane", "Fyrenza", "Lumbrix", "Kaivox", "Tremalux", "Dovantis", "Calyndra")


def fake_cas(rng: random.Random, controlled: set[str]) -> str:
    while True:
        body = str(rng.randint(50, 9999999)) + f"{rng.randint(0, 99):02d}"
        cas = f"{body[:-2]}-{body[-2:]}-{cas_check_digit(body)}"
        if cas not in controlled:
            return cas


def chem_name(rng: random.Random) -> str:
    return " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(rng.sample(WORDS, rng.randint(1, 3))))


def ordinary(rng: random.Random, i: int, controlled: set[str]) -> dict:
    name = chem_name(rng)
    n = rng.randint(900, 1900)
    contact = f"WhatsApp: +00 000 000 {rng.randint(1000, 9999)}; Email: sales{i}@example.com"
    company = f"{rng.choice(CITIES)} {rng.choice(NAMES)} Chemical Co., Ltd."
    if rng.random() < 0.3:  # a stock list
        title = "Our stock list (updated weekly)"
        lines = [title, "Please find our current stock list below. Contact for price.", "Product | CAS No. | Purity | Price"]
        while sum(map(len, lines)) < n:
            lines.append(f"{chem_name(rng)} | {fake_cas(rng, controlled)} | {rng.choice(['98%', '99%', '99.5%'])} | "
                         f"USD {rng.randint(5, 900)}/kg")
        lines += [f"Supplier: {company}", f"Contact: {contact}"]
    else:
        title = f"Supply {name} with good quality"
        lines = [title, f"{name}, industrial / pharma grade available."]
        props = [f"Product Name: {name}", f"CAS No.: {fake_cas(rng, controlled)}",
                 f"MF: C{rng.randint(2, 30)}H{rng.randint(2, 40)}O{rng.randint(1, 6)}", f"MW: {rng.uniform(50, 600):.2f}",
                 f"Purity: {rng.choice(['98%', '99%', '≥99%'])}", "Appearance: White powder",
                 "Package: 25kg/drum", f"MOQ: {rng.choice(['1kg', '10kg', '100g'])}",
                 f"Price: USD {rng.randint(5, 900)}/kg", f"Supplier: {company}", f"Contact: {contact}"]
        body = []
        while sum(map(len, lines + body + props)) < n:
            body.append(rng.choice(PHRASES))
        lines = lines + body + props
    return {"id": f"M{i:07d}", "platform": rng.choice(["catalog", "b2b", "board"]),
            "url": f"http://127.0.0.1:8000/p/{i}.html", "title": title, "text": "\n".join(lines)}
