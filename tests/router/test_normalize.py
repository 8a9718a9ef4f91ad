from ticketing.router.normalize import clean, normalize, stem_text, stem_word


def test_shorthand_is_expanded():
    assert normalize("tlg jln dpn rmh sy blm diperbaiki krn gk ada dana") == (
        "tolong jalan depan rumah saya belum diperbaiki karena tidak ada dana"
    )
    assert (
        normalize("mhn sdh 3 hr udh lapor dgn yg lain") == "mohon sudah 3 hari sudah lapor dengan yang lain"
    )


def test_lowercase_emoji_punctuation_and_letter_runs():
    assert clean("JALAN RUSAK BANGETTT!!! 😡😡") == "jalan rusak banget"
    assert normalize("tolonggg dong minnn 🙏🙏") == "tolong dong admin"
    # Doubled letters are real Indonesian spelling and must survive.
    assert clean("Maaf, saat itu") == "maaf saat itu"


def test_reduplication_and_glued_numbers():
    assert normalize("anak2 main di jln") == "anak anak main di jalan"
    assert normalize("bayar 10rb") == "bayar 10 ribu"


def test_javanese_words_map_to_indonesian():
    assert normalize("kulo mboten saget, dalan sampun rusak nggih") == "saya tidak bisa jalan sudah rusak ya"
    assert normalize("wes dereng wonten banyu") == "sudah belum ada air"


def test_stemming_matches_affixed_forms():
    assert stem_word("kerusakan") == "rusak"
    assert stem_word("rusak") == "rusak"
    assert stem_word("tumpukan") == "tumpuk"
    assert stem_word("diperbaiki") == "baik"
    assert stem_text("Kerusakan jalan berlubang") == "rusak jalan lubang"


def test_empty_and_symbol_only_text():
    assert normalize("") == ""
    assert normalize("🙏🙏🙏 ...") == ""
