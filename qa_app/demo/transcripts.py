"""Demo transcripts with speakers and times, so the Auto QA rules have something to judge.

Each entry is (speaker, text, seconds from the start); ``{agent}`` stands for the agent's first
name. Some agents do well and some less so (a slow first reply, a rude line, no closing), so the
demo's auto scores differ. Each list has three entries: the activity picks one with the same
random draw as before they had turns.
"""

from __future__ import annotations

from typing import Any

Script = list[tuple[str, str, float]]

# The language of each chat; calls and emails are in English.
CHAT_LANGUAGES = ("en", "el", "hu")
CHATS: list[Script] = [
    [
        ("Customer", "Hi, I was charged twice for my October invoice.", 0),
        ("Agent", "Hello Anna, I am sorry about that. Let me look at your account.", 25),
        ("Agent", "I can see both payments. I have started a refund for the second one.", 140),
        ("Customer", "Thank you! How long will it take?", 170),
        ("Agent", "Three to five working days. Is there anything else I can help with?", 195),
    ],
    [
        ("Customer", "Καλησπέρα, δεν μπορώ να συνδεθώ στον λογαριασμό μου.", 0),
        ("Agent", "Good evening! I can help in English or Greek. Did you get a reset email?", 240),
        ("Customer", "Όχι, τίποτα.", 300),
        ("Agent", "I have sent a new link now; it is valid for one hour.", 420),
    ],
    [
        ("Customer", "Jó napot! A csomagom még nem érkezett meg.", 0),
        ("Agent", "Jó napot kívánok! Megnézem a rendelés állapotát.", 50),
        ("Customer", "Már harmadszor írok emiatt.", 110),
        ("Agent", "Nyugodjon meg, a futár tegnap átvette, holnap délig kézbesíti.", 200),
    ],
]
CALLS: list[Script] = [
    [
        ("Agent", "Good morning, Northwind Telecom, my name is {agent}. How can I help?", 0),
        ("Customer", "Hi, my monthly price went up and nobody told me.", 6),
        ("Agent", "I understand. The new plan started this month; I can keep the old one.", 40),
        ("Customer", "Yes please, do that.", 95),
        ("Agent", "Done for three more months. Is there anything else I can do for you?", 180),
        ("Customer", "No, that's all.", 186),
        ("Agent", "Thank you for calling, have a nice day.", 190),
    ],
    [
        ("Agent", "Northwind Telecom, hello.", 0),
        ("Customer", "My router stopped working after the storm.", 5),
        ("Agent", "You should have unplugged it during the storm. I will run a line test.", 30),
        ("Agent", "The line is faulty; a technician will come on Thursday morning.", 410),
        ("Customer", "Fine.", 420),
    ],
    [
        ("Agent", "Good afternoon, you're through to {agent} at Northwind billing.", 0),
        ("Customer", "I would like to cancel my contract.", 4),
        ("Agent", "Of course. The notice period is thirty days; I will confirm it by email.", 60),
        ("Customer", "Thanks.", 75),
        ("Agent", "Thanks for calling, goodbye.", 80),
    ],
]
EMAILS: list[Script] = [
    [
        ("Customer", "Hello, why does my invoice show a late fee? I paid on time.", 0),
        (
            "Agent",
            "Dear Mr Brown, the payment reached us a day late; I removed the fee "
            "as a goodwill gesture.\n\nKind regards,\n{agent}",
            5400,
        ),
    ],
    [
        ("Customer", "Please send me a copy of my contract.", 0),
        (
            "Agent",
            "Hello, the copy is attached. Write back if anything is missing.\n\n"
            "Best regards,\n{agent}",
            30000,
        ),
    ],
    [
        ("Customer", "My direct debit failed, what should I do?", 0),
        ("Agent", "As I said before, you need to update your bank details in the app.", 100000),
    ],
]


def turns(script: Script, agent: str) -> list[dict[str, Any]]:
    """The transcript as stored: speaker, text (with the agent's name) and seconds."""
    first_name = agent.split()[0]
    return [
        {"speaker": who, "text": text.format(agent=first_name), "at": at}
        for who, text, at in script
    ]
