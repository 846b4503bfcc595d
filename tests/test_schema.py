"""segkit.schema: the ordered scales (agreement, frequency, satisfaction, tiers, sizes, bands) that
text levels are recognised as, and the look-alikes that are not scales."""

from __future__ import annotations

import pytest

import segkit.features.customers as customers
from segkit import schema
from tests.shapes import AGREE

SCALES = {
    "agreement": (["Agree", "Strongly agree", "Neutral", "Strongly disagree", "Disagree"], AGREE),
    "agreement 7 points, hyphens": (["somewhat-agree", "Strongly_Disagree", "Neither agree nor disagree", "Agree"],
                                    ["Strongly_Disagree", "Neither agree nor disagree", "somewhat-agree", "Agree"]),
    "frequency": (["Often", "Never", "Always", "Sometimes", "Rarely"],
                  ["Never", "Rarely", "Sometimes", "Often", "Always"]),
    "satisfaction": (["Satisfied", "Very dissatisfied", "Very satisfied", "Neutral", "Dissatisfied"],
                     ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]),
    "likelihood": (["Likely", "Very unlikely", "Neutral"], ["Very unlikely", "Neutral", "Likely"]),
    "importance": (["Very important", "Not at all important", "Moderately important"],
                   ["Not at all important", "Moderately important", "Very important"]),
    "loyalty tier": (["Gold", "Bronze", "Platinum", "Silver"], ["Bronze", "Silver", "Gold", "Platinum"]),
    "size letters": (["XL", "S", "L", "M"], ["S", "M", "L", "XL"]),
    "size words": (["Large", "Small", "Medium"], ["Small", "Medium", "Large"]),
    "low medium high": (["high", "low", "medium"], ["low", "medium", "high"]),
    "quality": (["Good", "Poor", "Excellent", "Fair"], ["Poor", "Fair", "Good", "Excellent"]),
    "income bands": (["60k+", "<20k", "40-60k", "20-40k"], ["<20k", "20-40k", "40-60k", "60k+"]),
    "income bands with k on both ends": (["100k+", "20k-40k", "40k-100k", "Under 20k"],
                                         ["Under 20k", "20k-40k", "40k-100k", "100k+"]),
    "income in dollars": (["$40,000 or more", "Less than $20,000", "$20,000 - $39,999"],
                          ["Less than $20,000", "$20,000 - $39,999", "$40,000 or more"]),
    "age bands": (["65+", "25-34", "18-24", "45-54", "35-44", "55-64"],
                  ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]),
    "age bands in words": (["Over 65", "18 to 34", "Under 18", "35 to 65"], ["Under 18", "18 to 34", "35 to 65",
                                                                              "Over 65"]),
    "count bands": (["3+", "0", "1-2"], ["0", "1-2", "3+"]),
}


@pytest.mark.parametrize(("levels", "expected"), SCALES.values(), ids=SCALES.keys())
def test_scales_are_recognised_and_ordered(levels, expected):
    assert customers.scale_order(levels) == expected


LOOK_ALIKES = {
    "cities": ["London", "Paris", "Leeds", "York"],
    "a tier and a fruit": ["Gold", "Apple", "Silver"],
    "two levels are a flag": ["Agree", "Disagree"],
    "yes no maybe": ["Yes", "No", "Maybe"],
    "two scales mixed": ["Agree", "Often", "Never"],
    "two spellings of one rank": ["Neutral", "Neither agree nor disagree", "Agree"],
    "plain numbers": ["1", "2", "3"],
    "postcodes": ["02134", "10001", "94105"],
    "phone numbers": ["555-1234", "556-2345", "557-3456"],
    "overlapping bands": ["18-30", "25-40", "40+"],
    "seasons written short": ["2019-20", "2020-21", "2021-22"],
    "marital codes": ["S", "M", "D", "W"],
    "education": ["Basic", "Graduation", "Master", "PhD"],
}


@pytest.mark.parametrize("levels", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alikes_are_not_scales(levels):
    assert customers.scale_order(levels) is None


def test_every_scale_level_is_spelled_once():
    for name, ranks in customers.ORDERED_SCALES.items():
        words = [schema.scale_key(w) for rank in ranks for w in rank]
        assert len(words) == len(set(words)), name
