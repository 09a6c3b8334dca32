"""The labelled real-page set: short excerpts of stored public copies (the search tool's "pages" corpus), offer or
mention decided by hand. Run from the repository root: python tests/data/pages/make_pages.py"""

# id, url, title (None when the stored copy shows none), text (a short excerpt of the stored copy), label, kind, split
P = []
def add(i, url, title, text, label, kind, split, note=""):
    P.append(dict(id=i, url=url, title=title, text=" ".join(text.split())[:700] if "\n" not in text else text[:700], label=label, kind=kind, split=split, note=note))

# --- shop product pages (offers); descriptions are copied drug-information prose
add("R01", "http://globalresearchpharmaceuticals.com/product/fent-powder/", None,
    "So, what makes fentanyl powder so potent and deadly? Well first, the powder is simply the narcotic pain medication fentanyl in a different form. Fentanyl is one of the most potent opiate-based pain medications on the market, notoriously known for being fifty to one hundred times the potency of morphine.\nNeedless to say, fentanyl powder is dangerous.", "offer", "shop-product", "tune", "product URL 'fent-powder'; copied prose")
add("R02", "https://alizanmedshop.com/product/buy-fentanyl-online/", None,
    "Fentanyl Powder is used as part of anesthesia to help prevent pain after surgery or other medical procedure\nFentanyl is an opioid medication. An opioid is sometimes a narcotic.\nFentanyl is a powerful synthetic opioid that is up to 100 times more potent than morphine and 50 times more potent than heroin. It is both a prescribed drug, as well as a drug that is at times made and used illegally.\nFentanyl that is illegally manufactured is dangerous. They make them without the quality controls of pharmaceutical-grade fentanyl.", "offer", "shop-product", "tune", "copied prose")
add("R03", "https://xpresspainrelief.com/product/carfentanil-online/", None,
    "Fentanyl, a synthetic narcotic analgesic made from morphine, is a potent derivative of carfentanil powder. Carfentanil is 100 times more strong than fentanyl, making it 10,000 times more powerful than morphine. This drug isn't approved for use in humans in any capacity, and it's mostly used in veterinary medicine to sedate large animals like elephants.\nCarfentanil powder and Opioid Addiction\nCarfentanil does not cause addiction like other morphine derivatives, heroin, or other opioid drugs.", "offer", "shop-product", "tune", "copied prose with negations")
add("R04", "https://thepleasantproducts.com/?post_type=product&p=147&preview=true", None,
    "Important information about all medicines\nNever take more than the prescribed dose.\nCarfentanil or carfentanyl (also known as 4-carbomethoxyfentanyl) is an analog of the synthetic opioid analgesic fentanyl. It was found to be four orders of magnitude or 10,000 times more potent than morphine, making it one of the most potent known and the most potent commercially used opioids\nRelationship Between Fentanyl and Carfentanil", "offer", "shop-product", "held_out", "WooCommerce product preview; encyclopedia prose")
add("R05", "http://ssdchemicalshop.com/product/carfentanil/", None,
    "Carfentanil is a synthetic opioid, i.e., it is designed and produced in a laboratory, without the poppy plant. It is intended - and legal - purpose is to tranquilize large animals like horses and elephants. Carfentanil comes in several forms, including powder and tablets. With this in mind, carfentanil has never been approved for human use.", "offer", "shop-product", "tune", "copied prose, 'never been approved'")
add("R06", "https://www.secureddrugstore.com/?add-to-cart=4496", "Buy Fentanyl",
    "Generic fentanyl comes in oral lozenges, extended-release transdermal patches, and an injectable solution that's only given by a healthcare provider. Brand-name fentanyl products include:\n- Fentora, a buccal tablet\n- Actiq, an oral lozenge\n- Duragesic, an extended-release transdermal patch\nFentanyl Highlights\n- Fentanyl transdermal patch is available as a generic drug and as a brand-name drug.", "offer", "shop-product", "held_out", "add-to-cart URL")
add("R07", "https://pharmacydrugspillsuk.com/product/buy-fentanyl/", None,
    "The fentanyl patch is prescribed to give a slow release of a powerful opioid painkiller for people who are in pain. But it has the potential to be abused. Fentanyl is an opioid that is 100 times more potent than morphine.\nFentanyl patch abuse can result in an overdose that can be fatal. People who are prescribed the patch must be educated to prevent misuse.", "offer", "shop-product", "tune", "copied prose")
add("R08", "https://farmachemical.com/product/buy-acetyl-fentanyl-powder/", None,
    "similar to the Schedule II opioid fentanyl, is a potent opioid analgesic. Recently, it has been linked to a number of overdose deaths in the United States. Acetyl fentanyl is not a part of most illicit drug screens and may remain undetected in many of these cases.\nImmunoassays (e.g. ELISA) for fentanyl do not differentiate fentanyl and acetyl fentanyl; confirmatory analysis such as gas chromatography/mass spectrometry (GC/MS) is required.\nAcetylfentanyl is an opioid analgesic drug that is an analog of fentanyl. It has never been licensed for medical use and instead has only been sold as a designer drug.", "offer", "shop-product", "tune", "the issue's case: immunoassay and 'never been licensed' in copied prose")
add("R09", "https://purechemicals-online.com/index.php/product/fentanyl-powder/", "Fentanyl powder",
    "What is Fentanyl (hydrochloride)?\nFentanyl is an opioid drug available by prescription, and it's most often used in hospital settings to help people with chronic and often end-of-life pain stemming from things like cancer. It's up to 100 times more potent than morphine, and there's a significant potential for abuse, dependence, and overdose with fentanyl. While fentanyl is approved for prescription purposes, it is often manufactured illegally and sold on the black market as well.", "offer", "shop-product", "held_out", "copied prose")

# --- encyclopedia and drug-information articles (mentions)
add("R20", "https://www.addictshelpline.com/what-is-acetyl-fentanyl/", None,
    "Acetyl fentanyl is an opioid painkiller and an analog of the drug fentanyl. An analog drug is designed to function in a manner similar to the original drug. As of this writing, the drug had been placed on the Drug Enforcement Agency (DEA) list of Schedule I drugs. Acetyl fentanyl is estimated to be 15 times more potent than morphine, but much less potent than actual fentanyl. It was discovered around the same time as fentanyl, and has not been licensed or indicated for any medical use.", "mention", "article", "tune")
add("R21", "https://review.clateway.com/wiki/view_html.php?lang=en&q=Acetylfentanyl&sq=Envato", None,
    "Acetylfentanyl (acetyl fentanyl) is an opioid analgesic drug that is an analog of fentanyl. Studies have estimated acetylfentanyl to be 15 times more potent than morphine, which would mean that despite being somewhat weaker than fentanyl, it is nevertheless still several times stronger than pure heroin. It has never been licensed for medical use and instead has only been sold on the illicit drug market. However, in 2013, Canadian police seized 3 kilograms of acetylfentanyl.", "mention", "reference", "tune", "the same prose as R08, on an encyclopedia copy")
add("R22", "https://wikisum.wiki/wiki/Furanylfentanyl", None,
    "Furanylfentanyl (Fu-F) is an opioid analgesic that is an analog of fentanyl and has been sold as a designer drug. Fentanyl analogs have killed hundreds of people throughout Europe and the former Soviet republics. Furanylfentanyl may be measured in blood or urine to monitor for use, confirm a diagnosis of poisoning, or assist in a medicolegal death investigation. Commercially available immunoassays are often used as initial screening tests.", "mention", "reference", "held_out")
add("R23", "https://www.acs.org/molecule-of-the-week/archive/a/acetylfentanyl.html", None,
    "November 12, 2013\nAcetylfentanyl is a derivative of the powerful pain-killing drug fentanyl. It contains an acetyl group in place of fentanyl's propionyl group. Canadian police discovered that large amounts of acetylfentanyl were being distributed in Canada and the northeast United States.", "mention", "reference", "tune")
add("R24", "https://erowid.org/references/refs_view.php?ID=8983&S=fentanyl", "Erowid References Database",
    "Old opioids, new concerns: the case of acetylfentanyl. Forensic Toxicol. 2016.\nAcetylfentanyl is a potent synthetic opioid analgesic that has been increasingly available in America, Europe, Japan, China, and Australia during the last years. It has no approved medical or veterinary use. It is available in retail or head shops or over the Internet by companies based mainly in China.", "mention", "reference", "tune")
add("R25", "https://erowid.org/references/refs_view.php?ID=9195&S=fentanyl", "Erowid References Database",
    "Furanylfentanyl: another fentanyl analogue, another hazard for public health. Forensic Toxicol. 2017.\nFuranylfentanyl is a potent synthetic drug, an analogue of fentanyl. It has no proven medical use, but it is abused throughout the world for its opioid-like effects. The drug is mainly manufactured in China and is distributed worldwide.", "mention", "reference", "held_out")
add("R26", "https://www.thenewdrugtalk.org/articles/what-is-fentanyl-video", "What is fentanyl?",
    "Pharmaceutical fentanyl is a powerful synthetic opioid. It's only available with a prescription, and its manufacture and distribution are tightly controlled. Illicit fentanyl is made in unregulated facilities and sold through drug trafficking networks. Because fentanyl is an odorless white powder, it can easily be mixed with any drug.", "mention", "article", "tune")
add("R27", "https://aliyahealthgroup.com/?p=8916", "Carfentanil vs Fentanyl: Understanding These Powerful Drugs",
    "When it comes to opioids, two of the most dangerous are carfentanil vs. fentanyl. Carfentanil is the most powerful commercially used opioid. However, carfentanil is not safe for human use, as it's a veterinary anesthetic for massive-sized animals, including elephants. The drug can be sourced as carfentanil pills, powder, patches, and liquid.", "mention", "article", "tune")
add("R28", "https://hartrehab.com/fentanyl-treatment/related/carfentanil-vs-fentanyl-which-is-more-dangerous", "Carfentanil vs. Fentanyl: Which is More Dangerous?",
    "When it comes to carfentanil vs. fentanyl, the question of which opioid is more dangerous often comes up. Fentanyl is a strong synthetic opioid often prescribed to treat severe chronic pain. Unfortunately, it is also made illegally and sold on the black market. Carfentanil is another synthetic opioid, but it is not meant for humans.", "mention", "article", "held_out")
add("R29", "https://www.infinitymalibu.com/blog/what-are-the-dangers-of-carfentanil/", "What are the Dangers of Carfentanil?",
    "Carfentanil is normally used as a tranquilizer for large mammals such as elephants. Recently it has come on the drug market for the same reasons as fentanyl. It is 10,000 times more powerful than morphine and 100 times more potent than fentanyl. In March 2017, carfentanil was classified as a controlled substance.", "mention", "article", "tune")
add("R30", "https://chemlabinfo.getblogs.net/63695364/carfentanil-for-sale-the-dangers-of-this-lethal-opioid", None,
    "But what exactly is carfentanil, why is it being sold illegally, and why is it so dangerous? In this article, we'll explore the risks associated with carfentanil, why it's being marketed, and the ethical and legal implications of its sale.\nWhat Is Carfentanil?\nCarfentanil (chemical formula C24H30N2O3) is a synthetic opioid that was first synthesized in the 1970s for use in veterinary medicine. However, carfentanil is not approved for human use, and its sale for human consumption is both illegal and extremely dangerous.", "mention", "article", "held_out", "'for sale' in the URL of an article")
add("R31", "https://www.addictionresource.net/drug-alcohol-tolerance/opioids/fentanyl/", "Fentanyl Tolerance: Chronic Pain Treatment And The Risk For Addiction",
    "Fentanyl, also known by the brand name Duragesic, is a prescription opioid analgesic used to treat severe pain. It is addictive and can build tolerance quickly. Fentanyl is a prescription painkiller that is 50 to 100 times stronger than morphine.", "mention", "article", "tune")
add("R32", "https://areterecovery.com/fentanyl/tolerance/", None,
    "Fentanyl is a Schedule II controlled substance that's 100 times more potent than morphine. The drug is reserved for individuals who have become tolerant to other opioids, such as oxycodone or hydromorphone. If you are considering fentanyl treatment, the doctor must first determine if it's right for you.", "mention", "article", "held_out")
add("R33", "http://www.jdemirdjian.com/pages/american/health/killer_prescription_drugs_when_abused/fentanyl.aspx", "Fentanyl (Actiq, Fentonara, Duragestic)",
    "Powerful pain reliever that comes in many forms, including lollipops, tablets and patches. Fentanyl can produce drug dependence similar to that produced by morphine.", "mention", "reference", "tune")
add("R34", "https://bitcoindarkwebs.com/?p=1283", None,
    "Fentanyl is a powerful opioid pain medication that is used to treat severe pain, often in patients who are already opioid-tolerant. Given its strength, it's natural to wonder: can you buy fentanyl over the counter?\nNo, Fentanyl Cannot Be Purchased Over the Counter\nThe short answer is no, fentanyl cannot be purchased over the counter. It is a Schedule II controlled substance.", "mention", "article", "held_out")
add("R35", "https://www.empr.com/home/news/drug-news/is-synthetic-heroin-the-next-overdose-epidemic-drug/", None,
    "Acetyl fentanyl (N-[1-phenethylpiperidin-4-yl]-N-phenylacetamide) is one of countless novel psychoactive substances that have emerged within the American and international drug scene within the last decade.", "mention", "article", "tune", "a systematic name in prose")

# --- news
add("R40", "https://budgyapp.com/dea-seizes-fentanyl-pills-one-week/", "DEA Seizes Over $500K Worth of Fentanyl Pills in One Week",
    "In a significant operation, the U.S. Drug Enforcement Administration (DEA) has confiscated more than half a million dollars' worth of fentanyl pills within a single week. These pills were likely destined for distribution and sale.", "mention", "news", "tune", "a price in news")
add("R41", "https://police1.com/opioids/articles/cops-500000-fentanyl-pills-seized-in-arizona-traffic-stop-2HtvsGa7DUzfrmlB", "Cops: 500,000 fentanyl pills seized in Arizona traffic stop",
    "Two women were arrested after about 500,000 fentanyl pills were found in an SUV pulled over for speeding on Interstate 10 in Arizona, police said. The two were arrested on suspicion of crimes including possession of a narcotic drug for sale, according to police.", "mention", "news", "tune", "'for sale' in news")
add("R42", "https://mail.clayconews.com/news/23308-arizona-state-troopers-seize-more-than-262-pounds-of-fentanyl-pills", "Arizona State Troopers Seize More Than 262 Pounds of Fentanyl Pills",
    "Arizona Department of Public Safety troopers seized approximately 262.02 pounds of fentanyl pills in incidents across the state and arrested a total of eight suspects on related charges.", "mention", "news", "held_out")
add("R43", "https://sociallydaily.com/2025/04/03/massive-fentanyl-bust-in-tarrant-county", None,
    "The Tarrant County Sheriff's Office made history with its largest-ever seizure of fentanyl-laced pills during a traffic stop on I-20. Deputies uncovered 350,000 counterfeit M-30 pills, valued at approximately $1.4 million. These fake pills are typically sold online and through social media, the DEA stated.", "mention", "news", "tune")
add("R44", "https://cbsnews.com/amp/losangeles/news/dea-seizes-100k-fake-fentanyl-laced-oxycodone-pills-2-arizona-men-in-federal-custody", "DEA seizes 100K fake, fentanyl-laced oxycodone pills; 2 Arizona men in federal custody",
    "More than 100,000 fake oxycodone pills containing fentanyl were seized by Burbank police during a traffic stop. They were charged with possession with intent to distribute a controlled substance.", "mention", "news", "held_out")
add("R45", "http://www.12news.com/news/local/valley/dea-agents-seize-30000-fentanyl-pills-in-largest-pill-seizure-in-arizona-history/465256850", "DEA agents seize 30,000 fentanyl pills in largest pill seizure in Arizona history",
    "Drug Enforcement Administration agents and Tempe Police detectives seized 30,000 fentanyl pills during an operation against a drug trafficking organization. Fentanyl is a potent synthetic opioid drug about 100 times more potent than morphine.", "mention", "news", "tune")
add("R46", "https://www.aegisshield.com/news/5830769/furanyl-fentanyl-joins-u-47700-as-the-second-illic", "Furanyl Fentanyl Joins U-47,700 as the Second Illicit Opioid Banned by DEA",
    "The U.S. Drug Enforcement Agency issued its final rule yesterday that placed furanyl fentanyl onto the Schedule I list of controlled substances, effectively criminalizing the manufacture, sale and use of the substance. What is furanyl fentanyl? Well, it's never been sold as a prescription pharmaceutical.", "mention", "news", "tune")
add("R47", "https://debradetox.com/2017/01/10/new-fentanyl-derivative-blame-opioid-deaths", None,
    "Furanyl fentanyl is a derivative of the synthetic opioid fentanyl, which produces a high similar to heroin but is 50 times more potent. It has contributed to at least 128 fatal overdoses across the country. Furanyl fentanyl was classed as a Schedule I narcotic, which outlawed the use, sale and production of the synthetic opioid in the U.S.", "mention", "news", "held_out")
add("R48", "http://www.seeker.com/street-drug-15-times-stronger-than-heroin-1768963023.html", None,
    "Acetyl fentanyl can be 15 times stronger than heroin, but users can often buy it through legitimate retail outlets and online stores, researchers warn in a new report. Acetyl fentanyl is an opioid analgesic with no recognized medical uses, the researchers write.", "mention", "news", "tune")
add("R49", "https://www.gangsterismout.com/2017/12/mexican-traffickers-starting-to-produce.html", "Mexican traffickers starting to produce own fentanyl",
    "In March the UN drugs body named two precursors, 4-anilino-N-phenethylpiperidine (ANPP) and N-phenethyl-4-piperidone (NPP) to their controlled list. In May police raided a storage facility and seized about 50 kilograms of N-Phenethyl-4-piperidinone. Potential street value according to the police was $570 million.", "mention", "news", "held_out", "precursors in news")
add("R50", "http://economists-pick-research.hktdc.com/business-news/article/Regulatory-Alert-US/Import-Controls-Proposed-for-Two-Fentanyl-Precursors/baus/en/1/1X000000/1X0AIKOO.htm", "Import Controls Proposed for Two Fentanyl Precursors",
    "The Drug Enforcement Administration is proposing to designate two fentanyl precursors - N-(1-benzylpiperidin-4-yl)-N-phenylpropionamide (also known as benzylfentanyl), including its salts, and N-phenylpiperidin-4-amine (also known as 4-anilinopiperidine; N-phenyl-4-piperidinamine; 4-AP), including its amides, carbamates and salts - as list I chemicals. These two chemicals have been subject to regulation in mainland China since 1 February 2018.", "mention", "news", "tune", "precursor names and systematic names in news")
add("R51", "https://www.drugtopics.com/view/dea-proposes-rule-curb-fentanyl-abuse", "DEA proposes rule to curb fentanyl abuse",
    "DEA is proposing to consider ANPP as a precursor to fentanyl and to classify it as a Schedule II controlled substance. The chemical in question is ANPP or 4-anilino-N-phenethyl-4-piperidine.", "mention", "news", "tune")
add("R52", "https://www.thefix.com/new-tool-detecting-fentanyl-be-offered-dancesafe", "New Tool For Detecting Fentanyl To Be Offered By DanceSafe",
    "The organization DanceSafe, which is known for its drug-checking services, will now offer fentanyl test strips that allow people to check their drugs for the deadly synthetic opioid. A brand manufactured by the Canadian company BTNX detected most of them including carfentanil. These strips will now be offered by DanceSafe online and at events.", "mention", "news", "held_out")

# --- forum
add("R60", "https://www.bluelight.org/community/threads/nitazines-taking-over-uk-opiates.943292/page-2", None,
    "Several carfentanil labs have been discovered in Canada. Not much is known about the action of carfentanil in man but it's widely suggested to be more lipophilic and have a larger volume of distribution then fentanyl which is why the few reports I've read state it's DOA is longer than fentanyl.", "mention", "forum", "tune", "a passage on making carfentanil dropped")
add("R61", "https://www.redszone.com/forums/showthread.php?p=4603326", None,
    "Anyone ever heard of this drug? DEA is concerned for multiple reasons. Xylazine is unbelievably cheap - found the drug for low as $1 per kilogram on online Chinese pharmacies. And - unlike fentanyl and other opioids - there is no antidote for overdoses.", "mention", "forum", "held_out")

# --- harm reduction
add("R70", "https://suffolkstopaddiction.org/SUD/Fentanyl-Risk", None,
    "Yes, you can test for fentanyl in your drugs using fentanyl test strips. Harm reduction is a set of practical strategies and ideas aimed at reducing negative consequences associated with drug use. CARRY NALOXONE (NARCAN): Show others where it is and how to use it.", "mention", "harm-reduction", "tune")
add("R71", "https://fentesters.com/blogs/resources/understanding-fentanyl-test-strips-and-their-use", "Understanding Fentanyl Test Strips and Their Use.",
    "Fentanyl test strips, also known as FTS, are a simple and cost-effective tool for detecting the presence of the powerful synthetic opioid fentanyl in drugs like heroin and cocaine. Fentanyl is a highly potent opioid that is 50 to 100 times more powerful than morphine.", "mention", "harm-reduction", "tune", "a test-strip shop's blog")
add("R72", "https://addictionpolicy.org/post/fentanyl-test-strips-what-you-need-to-know", None,
    "Fentanyl test strips can be purchased online for a few dollars on websites including DanceSafe, BunkPolice, and Amazon. On BunkPolice people can purchase 10 test strips for $25. Test strips are legal in 36 states and the District of Columbia.", "mention", "harm-reduction", "held_out", "prices of test strips")
add("R73", "https://darkmarketlist.info/where-to-buy-fentanyl-test-strips", None,
    "Test strips are legal in 36 states and the District of Columbia. In states where test strips are legal for distribution, residents can find test strips for sale or for free at pharmacies, public health departments, and harm reduction centers. Xylazine Test Strips (XTS) are a tool to test drugs for the presence of xylazine.", "mention", "harm-reduction", "tune")
add("R74", "https://www.cibiotest.com/do-you-know-xylazine/", "Do you know Xylazine?",
    "Xylazine, A.K.A. tranq, is a veterinary tranquilizer that is not safe for human use. When tranq is mixed with another drug (like fentanyl, heroin or a benzodiazepine), the chance of overdose increases. Xylazine Test Strip (Urine / Powder) is a rapid visual immunoassay for the qualitative, presumptive detection of xylazine in suspicious substances at the cut-off concentration of 1000 ng/mL.", "mention", "harm-reduction", "held_out", "test-strip maker")
add("R75", "https://ovusmedical.com/how-to-test-drugs-for-fentanyl/", None,
    "Fentanyl strips (FTS) are a type of drug testing tool that can detect fentanyl in drug samples before they are used. Remember to also: connect with your local Syringe Services Program, carry naloxone, do not use alone.", "mention", "harm-reduction", "tune")
add("R76", "https://franknbeats.com/why-are-fentanyl-test-strips-important-for-safety", "Why Are Fentanyl Test Strips Important for Safety?",
    "With a cutoff concentration of 1 ng/mL, this OTC fentanyl test cassette from DTK USA is simple to use, convenient, and provides quick results when used to screen for fentanyl in human urine. One can buy these test strips from the market by paying a few dollars.", "mention", "harm-reduction", "held_out")

import collections
import json
import os


def write(rows, split):
    """listings.jsonl (scan input) and labels.jsonl (fentwatch report's labels) of one part."""
    os.makedirs(f"tests/data/pages/{split}", exist_ok=True)
    with open(f"tests/data/pages/{split}/listings.jsonl", "w", encoding="utf-8") as L, \
            open(f"tests/data/pages/{split}/labels.jsonl", "w", encoding="utf-8") as B:
        for r in rows:
            lst = {"id": r["id"], "url": r["url"]}
            if r.get("title"):
                lst["title"] = r["title"]
            lst["text"] = r["text"]
            L.write(json.dumps(lst, ensure_ascii=False) + "\n")
            offer = r["label"] == "offer"
            B.write(json.dumps({"id": r["id"], "flag": offer, "category": "fentanyl-like" if offer else "none",
                                "inchikeys": [], "how": r["kind"], "note": r.get("note", "")},
                               ensure_ascii=False) + "\n")


for split in ("tune", "held_out"):
    write([p for p in P if p["split"] == split], split)
print(len(P), collections.Counter((p["label"], p["split"]) for p in P))


# --- a second held-out part, collected after every rule was written and scored once (held_out2)
Q = []
def add2(i, url, title, text, label, kind, note=""):
    Q.append(dict(id=i, url=url, title=title, text=text[:700], label=label, kind=kind, split="held_out2", note=note))

add2("S01", "https://huangdichems.com/carfentanyl/", "Carfentanyl",
     "Carfentanyl, also known as 4-carbomethoxyfentanyl and Carfentanil, is an extremely potent opioid analgesic and analogue of the common medicinal pain killer fentanyl.\nCarfentanyl possesses an extreme potency.\nIt is 10, 000 times more potent than morphine.\nIn the USA carfentanyl is classified as a Schedule II controlled substance that is illegal to possess without a license.", "offer", "shop-product", "a chemical shop's page named after the drug; copied prose")
add2("S02", "https://www.pureresearchchemical.com/product/raw-chemicals-suppliers/", "What is U-488900 Powder?",
     "The family of phenylpiperidines (characterized by a phenyl moiety directly linked to a piperidine) includes also the NSO fentanyl (synthesized by P. Janssen in the 1960s) and its analogs, up to 1000 times more potent as analgesic than meperidine. While extensive literature has been published in regards to pharmacology and toxicology of fentanyl and its illicit analogs, the pharmacological and toxicological properties of non-fentanyl derived NSOs have not yet been reviewed in detail.", "mention", "shop-product", "a shop product page whose product is not a fentanyl")
add2("S03", "https://hometestingblog.testcountry.com/?p=30304", "What Is Carfentanil and Why Is It Being Abused?",
     "Opioids are the drugs of choice to relieve moderate to severe pain that cannot be alleviated using ordinary pain medications. Some common opioids include codeine, fentanyl, meperidine, methadone and oxycodone. Another drug is set to take the growing drug problem by storm, and the substance is called carfentanil.\nWhat is Carfentanil?\nCarfentanil, believed to be 100 times stronger than fentanyl, is a sedative commonly used by animal handlers for big mammals such as elephants.", "mention", "article", "a test-kit shop's blog")
add2("S04", "http://www.dailyfinland.fi/national/1518/Customs-warns-against-abuse-of-carfentanil", "Customs warns against abuse of carfentanil",
     "Finnish Customs has recently detected a new drug named carfentanil, the strongest known opioid used as a narcotic and medicinal substance new to Finland. In other countries, carfentanil is sold as narcotics because it is inexpensive, said a Customs press release. Online, one kilo carfentanil can be bought wholesale for a couple of thousand euros.", "mention", "news", "'wholesale' in news")
add2("S05", "https://www.nrk.no/norge/15-aring-funnet-dod-etter-bruk-av-syntetisk-stoff-1.13479720", None,
     "Det ble beslaglagt et stoff på rommet hans som etter analyse viste seg å være karfentanil. Vi antar stoffet er bestilt via det mørke nettet, sier lederen av voldsavsnittet i Oslo politidistrikt. Karfentanil beskrives som et ekstremt potent opioid, og er dødelig i svært små doser.", "mention", "news", "Norwegian news")
add2("S06", "https://wikimili.com/en/Carfentanil", "Carfentanil",
     "Clinical data\nTrade names Wildnil\nOther names (4-Methoxycarbonyl)fentanyl, R-33799\nCCC(=O)N(c1ccccc1)C2(C(=O)OC)CCN(CC2)CCc3ccccc3\nCarfentanil or carfentanyl, sold under the brand name Wildnil, is an extremely potent opioid analgesic used in veterinary medicine to anesthetize large animals such as elephants and rhinoceroses. It has additionally been used as a recreational drug. Deaths have been reported in association with carfentanil.", "mention", "reference", "an encyclopedia infobox with a SMILES")
add2("S07", "https://checkit.wien/en/warnung-synthetisches-opioid-in-benzodiazepin", "Warning: synthetic opioid in benzodiazepine",
     "In December 2019, we identified a particularly harmful composition in a sample submitted as alprazolam. Instead of the expected benzodiazepine, we found the new synthetic opioid U-47700. In connection with an overdose or mixed consumption with e.g. fentanyl, deaths have already been reported.", "mention", "harm-reduction")
add2("S08", "https://www.neogen.com/neocenter/blog/tox-tuesday-u-47700/", "Tox Tuesday: U-47700",
     "Also known as pink or pinky, the designer drug is part of a family of powerful painkillers including carfentanil, furanyl and fentanyl and according to reports, has been responsible for at least 80 other deaths in the past nine months.", "mention", "article")
add2("S09", "https://darknet-market-url.com/can-i-buy-fentanyl-without-a-prescription", None,
     "No, it is not legal to buy fentanyl without a prescription. Fentanyl is a Schedule II controlled substance in the United States, which means it has a high potential for abuse and is subject to strict regulations. Possession, distribution, or manufacture of fentanyl without a valid prescription is a federal crime punishable by up to 20 years in prison.", "mention", "article")
add2("S10", "https://health.pa.gov/topics/disease/Opioids/Pages/Naloxone.aspx", None,
     "Naloxone is a medication that can reverse an overdose that is caused by an opioid drug (i.e., prescription pain medication, heroin, or illicit fentanyl). As of September 2023, naloxone is now available over the counter. Products approved by the FDA for sale over the counter include Narcan 4mg naloxone nasal spray.", "mention", "harm-reduction")
add2("S11", "https://www.narcan.com/first-responders/what-is-narcan-nasal-spray/", None,
     "NARCAN (naloxone HCl) Nasal Spray costs $37.50 per 4 mg dose ($75 per carton) for all qualified direct purchasers.\nNARCAN Nasal Spray, the first nasal formulation of naloxone, is FDA approved for the treatment of known or suspected opioid overdose. In the last several years, U.S. law enforcement has seen a dramatic increase in the availability of dangerous synthetic opioids, including fentanyl.", "mention", "harm-reduction", "a naloxone product page with a price")
add2("S12", "https://www.dailyshorts.io/health/opioid-overdose-antidote-naloxone-fda-approved/amp/?post=2357", None,
     "Two doses of Narcan roughly cost around $50. The US Food and Drug Administration (FDA) on Wednesday approved selling Narcan nasal spray, an opioid overdose treatment drug, without a prescription. Narcan is a life-saving drug that rapidly reverses the effects of opioid overdose, especially oxycodone and street drugs like heroin and fentanyl.", "mention", "news")
add2("S13", "https://forum.drugs-and-users.org/index.php?topic=3885.0", None,
     "BEIJING - China said Monday it would ban a designer drug called U-47700 and three others, following U.S. pressure to do more to control synthetic opioids blamed for fast-rising overdose deaths in the United States.", "mention", "forum", "no fentanyl name: a plain negative")

write(Q, "held_out2")
print(len(Q), collections.Counter((q["label"], q["split"]) for q in Q))
