"""Sentences written by hand for the embedded classifier's test
(``tests/training/test_classifier_model.py``); the learner's suites must hold none of them
(``test_learner_suites.py``).
"""

# Written by hand for the test, not by the generators: negators beyond "not", adjectives
# negated in frames the templates never use, contrast, Korean, and nouns never trained on.
HAND_WRITTEN = [
    ("We never enjoyed the trip.", 0),
    ("Nobody in our group liked the tour.", 0),
    ("Nothing about the hotel was pleasant.", 0),
    ("I hardly enjoyed the concert.", 0),
    ("There was nothing good about the ending.", 0),
    ("No one complained about the service.", 1),
    ("I never had a problem with this laptop.", 1),
    ("I wouldn't recommend this blender to anyone.", 0),
    ("She doesn't like the new album.", 0),
    ("They haven't enjoyed a single episode.", 0),
    ("The room was not clean.", 0),
    ("The bed wasn't comfortable at all.", 0),
    ("The instructions were not clear.", 0),
    ("The staff were not polite.", 0),
    ("The town is not safe at night.", 0),
    ("The service was never slow.", 1),
    ("Our neighbors were not noisy at all.", 1),
    ("The checkout was not complicated.", 1),
    ("The hotel was great, but the beach was awful.", 0),
    ("The trailer looked boring, but the film was wonderful.", 1),
    ("The seats were uncomfortable, but the show was fantastic.", 1),
    ("I loved the cover, but the story was a mess.", 0),
    ("The price was high, but the quality was excellent.", 1),
    ("Although the staff were friendly, the food was cold and bland.", 0),
    ("The first half was slow; however, the finale was brilliant.", 1),
    ("The blender works perfectly.", 1),
    ("What a wonderful little bakery!", 1),
    ("우리는 그 여행을 전혀 즐기지 않았어요.", 0),
    ("아무도 그 영화를 좋아하지 않았어요.", 0),
    ("방이 깨끗하지 않았어요.", 0),
    ("호텔은 좋았지만 해변은 최악이었어요.", 0),
    ("가격은 비쌌지만 음식은 정말 맛있었어요.", 1),
    ("직원들이 하나도 친절하지 않았어요.", 0),
    ("배송은 느렸지만 제품은 완벽했어요.", 1),
]
