"""Seed the hip-hinge progression: the eight exercises in the studio's order."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PROGRESSION = {
    "name": "Hip hinge",
    "slug": "hip-hinge",
    "description": (
        "Eight stages that teach you to move through your hips while your lower back "
        "stays still and braced. Every exercise trains hip extension, never lower-back "
        "extension, and works the glutes, hamstrings and back muscles. You start on "
        "the floor, come up to kneeling and standing, and only then add load. Move on "
        "when the current stage is pain-free and your technique is solid."
    ),
}

EXERCISES = [
    {
        "name": "Four-point rock back",
        "slug": "four-point-rock-back",
        "summary": "On hands and knees, rock your hips back towards your heels and forward again "
        "while your back stays neutral.",
        "purpose": "\n".join(
            [
                "Practise keeping the back neutral while the movement comes from the hips",
                "Learn to brace the abdominals",
                "Find the depth and position of your own squat",
                "Takes load off the spine: a good start if standing or carrying makes your pain worse",
                "Opens up the hips, and is the starting point for more advanced hip mobility drills",
                "Builds shoulder stability and mobility",
                "Gets the upper back (thoracic spine) extending, and links into other upper-back drills",
            ]
        ),
        "cues": "\n".join(
            [
                "Hands under shoulders, knees under hips",
                "Brace gently, as if about to be nudged in the belly",
                "Send your hips back towards your heels; stop before your lower back rounds",
                "Keep the same gap between your ribs and your hips all the way",
                "Breathe out as you rock back, in as you return",
            ]
        ),
        "faults": "\n".join(
            [
                "Lower back rounding at the end of the rock back",
                "Sagging or arching the back on the way forward",
                "Head dropping or craning up instead of staying in line",
                "Rushing: this is a slow, controlled drill",
            ]
        ),
        "equipment": "Exercise mat",
        "variations": "\n".join(
            [
                "Smaller range: stop sooner until the back stays neutral",
                "Cushion under the knees if kneeling is uncomfortable",
                "Hold at the end position for a few breaths",
            ]
        ),
        "is_loaded": False,
        "sets": 2,
        "reps": 10,
    },
    {
        "name": "Kneeling hip thrust",
        "slug": "kneeling-hip-thrust",
        "summary": "From tall kneeling, sit your hips back towards your heels, then drive them "
        "forward by squeezing your glutes.",
        "purpose": "\n".join(
            [
                "A first hip hinge without lying on the floor: kneeling is easier on a sore back",
                "Teaches the hips, not the lower back, to do the moving",
                "Strengthens the glutes",
            ]
        ),
        "cues": "\n".join(
            [
                "Kneel tall, knees hip-width, ribs stacked over hips",
                "Hinge back: hips move towards heels, chest follows, back stays long",
                "Squeeze your glutes to bring the hips forward to tall kneeling",
                "Finish tall, not leaning back",
            ]
        ),
        "faults": "\n".join(
            [
                "Arching the lower back at the top instead of squeezing the glutes",
                "Rounding the back as the hips go back",
                "Letting the knees drift apart or together",
            ]
        ),
        "equipment": "Exercise mat or cushion for the knees",
        "variations": "\n".join(
            [
                "Hands on hips to feel the movement come from there",
                "Shorter range while it is uncomfortable",
                "Not suitable with a painful knee: use the glute bridge instead",
            ]
        ),
        "is_loaded": False,
        "sets": 3,
        "reps": 10,
    },
    {
        "name": "Glute bridge",
        "slug": "glute-bridge",
        "summary": "Lying on your back with knees bent, press your lower back gently into the "
        "floor and lift your hips with your glutes.",
        "purpose": "\n".join(
            [
                "Lying down takes load off the spine",
                "The floor tells you where your lower back is",
                "Pressing the lower back into the floor shows you what a braced position feels like",
                "A simple bridge into standing hip hinges",
            ]
        ),
        "cues": "\n".join(
            [
                "Feet flat, hip-width, heels a hand's length from your glutes",
                "Flatten your lower back into the floor before you lift",
                "Drive through your heels and lift with your glutes",
                "Stop when knees, hips and shoulders line up: no arching past it",
                "Lower slowly, one vertebra at a time",
            ]
        ),
        "faults": "\n".join(
            [
                "Lifting too high and arching the lower back",
                "Feeling it mostly in the hamstrings or lower back instead of the glutes",
                "Knees falling in",
            ]
        ),
        "equipment": "Exercise mat",
        "variations": "\n".join(
            [
                "Hold at the top for a few seconds",
                "Band just above the knees to keep them apart",
                "Single-leg bridge once the two-leg version is easy",
            ]
        ),
        "is_loaded": False,
        "sets": 3,
        "reps": 12,
    },
    {
        "name": "Standing hip hinge",
        "slug": "standing-hip-hinge",
        "summary": "Standing tall with soft knees, push your hips back and let your chest come "
        "forward with a straight back, then stand up by driving the hips forward.",
        "purpose": "\n".join(
            [
                "Brings the hinge you learned on the floor into standing, where gravity makes it harder",
                "The pattern behind every lift that follows",
                "Teaches the difference between a hinge and a squat",
            ]
        ),
        "cues": "\n".join(
            [
                "Feet about hip-width, knees soft: a small bend of about 20 to 30 degrees",
                "Push your hips back as if closing a car door with your bottom",
                "Keep your back straight from head to hips and your belly braced",
                "Shins stay nearly vertical: this is not a squat",
                "Stand up by squeezing your glutes, not by leaning back",
            ]
        ),
        "faults": "\n".join(
            [
                "Bending the knees too much and turning it into a squat",
                "Rounding the back to reach lower",
                "Leaning back at the top",
            ]
        ),
        "equipment": "A broomstick or dowel along the back (optional)",
        "variations": "\n".join(
            [
                "Dowel along the spine touching head, upper back and tailbone",
                "Hinge back to touch a wall behind you",
            ]
        ),
        "is_loaded": False,
        "sets": 3,
        "reps": 10,
    },
    {
        "name": "Kettlebell deadlift",
        "slug": "kettlebell-deadlift",
        "summary": "The standing hip hinge with a kettlebell: lift it from the floor and set it "
        "down again on every rep.",
        "purpose": "\n".join(
            [
                "The first stage with an external load",
                "Each rep starts from a dead stop on the floor",
                "Builds strength in the hinge you have mastered",
            ]
        ),
        "cues": "\n".join(
            [
                "Kettlebell between your feet, in line with your ankles",
                "Hinge down to the handle with a straight back and braced belly",
                "Grip, pull your shoulders down and back, then stand by driving the hips forward",
                "Hinge back down and touch the bell to the floor each rep",
            ]
        ),
        "faults": "\n".join(
            [
                "Rounding the back to reach the bell",
                "Lifting with the arms instead of the hips",
                "Squatting the bell up with the knees far forward",
            ]
        ),
        "equipment": "Kettlebell\nStep or box to raise the kettlebell (optional)",
        "variations": "\n".join(
            [
                "Long legs or a short torso: raise the kettlebell on a step or box",
                "Let the thighs and torso sit slightly between a hinge and a squat if that positions "
                "the bell more safely",
                "Everyone's build differs: find the set-up that keeps your back straight",
            ]
        ),
        "is_loaded": True,
        "sets": 3,
        "reps": 8,
    },
    {
        "name": "Romanian deadlift",
        "slug": "romanian-deadlift",
        "summary": "A hip hinge with a barbell or dumbbells that stays off the floor, with the "
        "focus on a slow lowering.",
        "purpose": "\n".join(
            [
                "Trains the lowering (eccentric) part of the lift",
                "Loads the hamstrings and glutes through the hinge position you already own",
                "Opens the way to harder single-leg work",
            ]
        ),
        "cues": "\n".join(
            [
                "Start standing with the weight; lift it from rack pins, or set it up safely from the floor",
                "Soft knees, as in the standing hip hinge",
                "Lower slowly by pushing the hips back; the weight stays close to your legs",
                "Stop when your back would have to round; the weight never touches the floor",
                "Drive the hips forward to stand tall",
            ]
        ),
        "faults": "\n".join(
            [
                "Letting the weight drift away from the legs",
                "Rounding the back at the bottom",
                "Rushing the lowering",
            ]
        ),
        "equipment": "Barbell or a pair of dumbbells\nSquat rack with pins for heavier barbell loads",
        "variations": "\n".join(
            [
                "Dumbbell Romanian deadlift",
                "Single-leg Romanian deadlift: same knee bend and torso angle, on one leg",
                "Start heavier bars from pins in a rack",
            ]
        ),
        "is_loaded": True,
        "sets": 3,
        "reps": 8,
    },
    {
        "name": "Pull-through",
        "slug": "pull-through",
        "summary": "Facing away from a low cable or band, with a wide stance, let it draw your "
        "hips back, then drive them forward to stand tall.",
        "purpose": "\n".join(
            [
                "A wider stance opens the hips, useful if your hips do not let you hinge well with "
                "feet close together",
                "Often more comfortable for taller people",
                "The pull of the cable or band draws the hips back and corrects the hinge",
            ]
        ),
        "cues": "\n".join(
            [
                "Stand wider than hip-width, facing away from the anchor",
                "Hold the rope or band between your legs, arms long",
                "Let the cable pull your hips back while your back stays straight",
                "Squeeze your glutes to drive the hips forward and stand tall",
            ]
        ),
        "faults": "\n".join(
            [
                "Pulling with the arms",
                "Squatting down instead of hinging back",
                "Leaning back or over-extending at the top",
            ]
        ),
        "equipment": "Cable machine on a low setting, or an exercise band anchored low",
        "variations": "\n".join(
            [
                "Exercise band anchored low instead of a cable",
                "Lighter resistance and a slower tempo to learn the pattern",
            ]
        ),
        "is_loaded": True,
        "sets": 3,
        "reps": 12,
    },
    {
        "name": "Kettlebell swing",
        "slug": "kettlebell-swing",
        "summary": "An explosive hip hinge: snap the hips forward to float the kettlebell to "
        "chest height, and let it swing back between your legs.",
        "purpose": "\n".join(
            [
                "Builds explosive power through hip extension",
                "Raises the metabolic rate: strength and conditioning in one",
                "Uses the same wide stance and hip set-up as the pull-through",
            ]
        ),
        "cues": "\n".join(
            [
                "Stance as in the pull-through; hike the bell back high between your thighs",
                "Snap the hips forward and squeeze the glutes: the hips float the bell, not the arms",
                "Stand tall at the top, belly braced, no leaning back",
                "Let the bell fall and hinge back as it passes between your legs",
            ]
        ),
        "faults": "\n".join(
            [
                "Squatting the swing instead of hinging",
                "Lifting the bell with the arms",
                "Letting the bell drop low towards the knees",
                "Leaning back at the top",
            ]
        ),
        "equipment": "Kettlebell",
        "variations": "\n".join(
            [
                "Kettlebell deadlift to a single swing, then park the bell",
                "Shorter sets with full rest while learning",
            ]
        ),
        "is_loaded": True,
        "sets": 5,
        "reps": 10,
    },
]


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    Exercise = apps.get_model("exercises", "Exercise")
    Progression = apps.get_model("exercises", "Progression")
    Stage = apps.get_model("exercises", "Stage")
    progression, _ = Progression.objects.update_or_create(
        slug=PROGRESSION["slug"],
        defaults={k: v for k, v in PROGRESSION.items() if k != "slug"},
    )
    for position, item in enumerate(EXERCISES, start=1):
        fields = {k: v for k, v in item.items() if k not in {"slug", "sets", "reps"}}
        exercise, _ = Exercise.objects.update_or_create(slug=item["slug"], defaults=fields)
        Stage.objects.update_or_create(
            progression=progression,
            position=position,
            defaults={
                "exercise": exercise,
                "sets": item["sets"],
                "reps": item["reps"],
                "technique_signoff_required": item["is_loaded"],
            },
        )


def unseed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("exercises", "Progression").objects.filter(slug=PROGRESSION["slug"]).delete()
    apps.get_model("exercises", "Exercise").objects.filter(
        slug__in=[item["slug"] for item in EXERCISES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
